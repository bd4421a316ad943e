package dev.capstan.cli;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.api.codec.Kinds;
import dev.capstan.api.codec.Manifests;
import dev.capstan.local.LocalPaths;
import dev.capstan.local.serving.ServeLaunch;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * What the InferenceService end-to-end tests share: a Capstan home with its server, model
 * directories made from the example ONNX MLP (a copy per version, its {@code model.yaml} saying
 * which, so a response's {@code model_version} tells the revision that answered), the service as
 * the server's API sees it, requests through the gateway, and replica processes found in
 * {@code /proc} by the marker every serving replica carries.
 */
final class ServingFixture implements AutoCloseable {
  static final Path EXAMPLE = Path.of(System.getProperty("capstan.repo", ".."), "examples", "serving");
  static final Duration PATIENCE = Duration.ofSeconds(120);
  static final String REQUEST = "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[0.5,-1.0,2.0,0.25]}]}";

  final LocalCapstan capstan;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();

  ServingFixture(Path temp) throws IOException {
    this.capstan = new LocalCapstan(temp);
  }

  /** A model directory: the example MLP, its model.yaml saying {@code version}; or a file that is no model. */
  Path model(String version, boolean broken) throws IOException {
    Path dir = Files.createDirectories(capstan.work.resolve("models").resolve("v" + version));
    if (broken) {
      Files.writeString(dir.resolve("model.onnx"), "this is not an ONNX model");
      return dir;
    }
    Files.copy(EXAMPLE.resolve("iris-mlp/model.onnx"), dir.resolve("model.onnx"));
    Files.writeString(dir.resolve("model.yaml"), "format: onnx\nversion: \"" + version + "\"\n");
    return dir;
  }

  /**
   * An InferenceService manifest of the example model: one replica, {@code predictorField} (a line
   * such as {@code canaryTrafficPercent: 20}, or empty) and the model at {@code storageUri}.
   */
  static String inferenceService(String name, String predictorField, Object storageUri) {
    return """
        apiVersion: capstan.dev/v1alpha1
        kind: InferenceService
        metadata:
          name: %s
        spec:
          predictor:
            minReplicas: 1
            maxReplicas: 1
            %s
            model:
              modelFormat:
                name: onnx
              storageUri: %s
        """.formatted(name, predictorField, storageUri);
  }

  ServerClient server() {
    return ServerConnection.find(new LocalPaths(capstan.home)).orElseThrow(() -> new IllegalStateException("no server running"));
  }

  JsonNode service(String name) {
    return server().get(Kinds.INFERENCE_SERVICE, "default", name).orElseThrow(() -> new AssertionError(name + " is gone"));
  }

  /** Polls the service until the predicate holds; fails with the last status seen. */
  JsonNode await(String name, Predicate<JsonNode> condition) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = service(name);
      if (condition.test(last)) {
        return last;
      }
      Thread.sleep(200);
    }
    return fail("inferenceservice " + name + " did not reach the expected state; last seen:\n" + Manifests.toYaml(last));
  }

  /** The percent of traffic the named revision has in the service's status (0 when absent). */
  static int traffic(JsonNode service, String revision) {
    for (JsonNode r : service.path("status").path("revisions")) {
      if (r.path("name").asText().equals(revision)) {
        return r.path("trafficPercent").asInt(0);
      }
    }
    return 0;
  }

  static JsonNode revision(JsonNode service, String revision) {
    for (JsonNode r : service.path("status").path("revisions")) {
      if (r.path("name").asText().equals(revision)) {
        return r;
      }
    }
    return Manifests.json().createObjectNode();
  }

  static int readyReplicas(JsonNode service) {
    int total = 0;
    for (JsonNode r : service.path("status").path("revisions")) {
      total += r.path("readyReplicas").asInt(0);
    }
    return total;
  }

  /** One inference request through the gateway; returns the response (status and body). */
  HttpResponse<String> infer(String url, String name) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/v2/models/" + name + "/infer"))
        .timeout(Duration.ofSeconds(90)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(REQUEST)).build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** Which model version answered a 200 response. */
  static String versionOf(HttpResponse<String> response) {
    try {
      return Manifests.json().readTree(response.body()).path("model_version").asText("?");
    } catch (IOException e) {
      return "?";
    }
  }

  /** Requests in a loop on {@code threads} virtual threads until closed; counts answers and failures. */
  final class Load implements AutoCloseable {
    final AtomicLong ok = new AtomicLong();
    final AtomicInteger failed = new AtomicInteger();
    final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    private volatile boolean running = true;
    private final List<Thread> threads = new ArrayList<>();

    Load(String url, String name, int concurrency) {
      for (int i = 0; i < concurrency; i++) {
        threads.add(Thread.ofVirtual().start(() -> {
          while (running) {
            try {
              HttpResponse<String> r = infer(url, name);
              if (r.statusCode() == 200) {
                ok.incrementAndGet();
              } else {
                failed.incrementAndGet();
                failures.add(r.statusCode() + " " + r.body());
              }
            } catch (IOException e) {
              failed.incrementAndGet();
              failures.add(e.toString());
            } catch (InterruptedException e) {
              return;
            }
          }
        }));
      }
    }

    @Override
    public void close() throws InterruptedException {
      running = false;
      for (Thread t : threads) {
        t.join(Duration.ofSeconds(120));
      }
    }
  }

  /**
   * PIDs of live serving replica processes of this service: those whose environment names it, and
   * warm standbys taken as its replicas (a standby's environment names only its slot; the wrapper
   * above it is recorded under the service's replicas, in the home its model root lies in).
   */
  static List<Long> replicaProcesses(String service) {
    List<Long> found = new java.util.ArrayList<>(LocalCapstan.processesWithEnvironment(ServeLaunch.SERVICE_MARKER + "=default/" + service));
    try (var procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          if (!Files.readString(p.resolve("environ")).contains(ServeLaunch.STANDBY_MARKER + "=")) {
            continue;
          }
          List<String> argv = List.of(Files.readString(p.resolve("cmdline")).split("\0"));
          Path runtime = Path.of(argv.get(argv.indexOf("--model-root") + 1)).resolveSibling("runtime").resolve("default").resolve(service);
          long pid = Long.parseLong(p.getFileName().toString());
          List<Long> above = ProcessHandle.of(pid).flatMap(ProcessHandle::parent)
              .map(h -> Stream.concat(Stream.of(h.pid()), h.parent().map(ProcessHandle::pid).stream()).toList()).orElse(List.of());
          try (var records = Files.find(runtime, 3, (f, a) -> f.getFileName().toString().equals("process.json"))) {
            if (records.map(ServingFixture::readOrEmpty).anyMatch(r -> above.stream().anyMatch(a -> r.contains("\"pid\":" + a + ",")))) {
              found.add(pid);
            }
          }
        } catch (IOException | RuntimeException e) {
          // the process ended while we looked, or it is no standby of this home
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return found;
  }

  private static String readOrEmpty(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return "";
    }
  }

  void awaitNoReplicaProcesses(String service) throws InterruptedException {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      if (replicaProcesses(service).isEmpty()) {
        return;
      }
      Thread.sleep(200);
    }
    fail("replica processes of " + service + " still run: " + replicaProcesses(service));
  }

  /** Deletes every service the test made (so no replica outlives it), then stops the server. */
  @Override
  public void close() {
    try {
      for (JsonNode s : server().list(Kinds.INFERENCE_SERVICE, null).path("items")) {
        capstan.run("delete", "isvc", s.path("metadata").path("name").asText(), "--timeout", "120s");
      }
    } catch (RuntimeException e) {
      // no server: nothing to delete
    }
    capstan.close();
  }
}
