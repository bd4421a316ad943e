package dev.capstan.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.api.codec.Kinds;
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
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code capstan predict}: sends one Open Inference Protocol request and prints the response,
 * to an InferenceService by name (through the gateway, at its {@code status.url}) or to a model
 * server's URL.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
    description = {"POST an inference request to an InferenceService (capstan predict SERVICE -f request.json, through the",
        "gateway) or to URL/v2/models/MODEL/infer (--url, --model), and print the JSON response."})
public final class PredictCommand implements Callable<Integer> {
  @Parameters(index = "0", arity = "0..1", paramLabel = "SERVICE", description = "An InferenceService's name.")
  String service;

  @Mixin
  ClusterOptions cluster;

  @Mixin
  NamespaceOption ns;

  @Option(names = "--url", description = "Model server address, e.g. http://127.0.0.1:8080 (instead of SERVICE).")
  String url;

  @Option(names = "--model", description = "Model name (with --url).")
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
    if ((service == null) == (url == null)) {
      throw new CliErrors.UserError("give an InferenceService's name, or --url and --model, not both", 2);
    }
    String target = service != null ? serviceUrl() : url;
    String name = service != null ? service : model;
    if (name == null) {
      throw new CliErrors.UserError("--url needs --model", 2);
    }
    String base = target.endsWith("/") ? target.substring(0, target.length() - 1) : target;
    String path = "/v2/models/" + name + (version != null ? "/versions/" + version : "") + "/infer";
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
      throw new CliErrors.UserError("cannot reach " + base + ": " + e.getMessage());
    }
    if (response.statusCode() != 200) {
      throw new CliErrors.UserError("model server answered " + response.statusCode() + ": " + response.body().trim());
    }
    System.out.println(response.body());
    return 0;
  }

  /** The service's gateway URL ({@code status.url}), which answers {@code /v2/models/{service}/…}. */
  private String serviceUrl() {
    JsonNode isvc = cluster.connect().get(Kinds.INFERENCE_SERVICE, ns.orDefault(), service)
        .orElseThrow(() -> new CliErrors.UserError("inferenceservice \"" + service + "\" not found in namespace " + ns.orDefault()));
    String address = isvc.path("status").path("url").asText("");
    if (address.isEmpty()) {
      throw new CliErrors.UserError("inferenceservice/" + service + " has no URL yet; wait for it with 'capstan wait isvc/"
          + service + " --for=condition=Ready'");
    }
    return address;
  }
}
