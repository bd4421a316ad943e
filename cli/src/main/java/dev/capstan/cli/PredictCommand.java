package dev.capstan.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code capstan predict}: sends one Open Inference Protocol request and prints the response. */
@Command(name = "predict", mixinStandardHelpOptions = true,
    description = "POST an inference request to URL/v2/models/MODEL/infer and print the JSON response.")
public final class PredictCommand implements Callable<Integer> {
  @Option(names = "--url", required = true, description = "Server address, e.g. http://127.0.0.1:8080.")
  String url;

  @Option(names = "--model", required = true, description = "Model name.")
  String model;

  @Option(names = "--model-version", description = "Model version (default: the one served).")
  String version;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Body body;

  static final class Body {
    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Request JSON file ({\"inputs\": [...]}).")
    Path file;

    @Option(names = "--data", paramLabel = "JSON", description = "Request JSON inline.")
    String data;
  }

  @Override
  public Integer call() throws Exception {
    String json = body.file != null ? Files.readString(body.file) : body.data;
    String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    String path = "/v2/models/" + model + (version != null ? "/versions/" + version : "") + "/infer";
    URI uri;
    try {
      uri = URI.create(base + path);
    } catch (IllegalArgumentException e) {
      throw new CliErrors.UserError("--url " + url + " is not a valid URL");
    }
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    HttpResponse<String> response;
    try {
      response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(2))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new CliErrors.UserError("cannot reach the model server at " + url + ": " + e.getMessage());
    }
    if (response.statusCode() != 200) {
      throw new CliErrors.UserError("model server answered " + response.statusCode() + ": " + response.body().trim());
    }
    System.out.println(response.body());
    return 0;
  }
}
