package dev.capstan.local.serving;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.api.codec.Manifests;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The repository extension's load call that makes a standby a replica:
 * {@code POST /v2/repository/models/{model}/load} with {@code {"parameters": {"storage_uri":
 * "file://{modelDir}"}}} and the standby's bearer token (and the unload that ends a standby's warm-up). serve answers once the model is loaded or
 * refused, so the call waits that long (a generous bound: a loaded machine loads slowly).
 */
final class ModelLoadCall {
  private static final Duration TIMEOUT = Duration.ofMinutes(3);
  private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private ModelLoadCall() {}

  /** Loads the model; empty once loaded, else serve's reason for refusing it. Throws when no answer came. */
  static Optional<String> load(int port, String model, Path modelDir, String token) throws IOException, InterruptedException {
    byte[] body = Manifests.json().writeValueAsBytes(Map.of("parameters", Map.of("storage_uri", modelDir.toUri().toString())));
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/repository/models/" + model + "/load"))
        .timeout(TIMEOUT).header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() == 200) {
      return Optional.empty();
    }
    return Optional.of("HTTP " + response.statusCode() + ": " + reason(response.body()));
  }

  /** Unloads the model; empty once unloaded, else serve's reason. Throws when no answer came. */
  static Optional<String> unload(int port, String model, String token) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/repository/models/" + model + "/unload"))
        .timeout(TIMEOUT).header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build();
    HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    return response.statusCode() == 200 ? Optional.empty() : Optional.of("HTTP " + response.statusCode() + ": " + reason(response.body()));
  }

  private static String reason(String body) {
    try {
      JsonNode error = Manifests.json().readTree(body).path("error");
      return error.isTextual() ? error.asText() : body;
    } catch (IOException e) {
      return body.length() > 300 ? body.substring(0, 300) : body;
    }
  }
}
