package dev.capstan.local.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.codec.Manifests;
import dev.capstan.local.LocalPaths;
import dev.capstan.local.server.LocalControlPlane;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local registry over real HTTP, a real file artifact store and a real restart of the control plane. */
class LocalRegistryApiTest {
  static final String API = "/apis/capstan.dev/v1alpha1/namespaces/default/";
  @TempDir Path home;
  @TempDir Path files;
  LocalControlPlane plane;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    plane = LocalControlPlane.start(new LocalPaths(home), 0);
  }

  @AfterEach
  void stop() {
    plane.close();
  }

  @Test
  void registersFromADirectoryWithEveryChecksumAndNeverReusesANumber() throws Exception {
    Path dir = modelDir("a");
    JsonNode v1 = ok(send("POST", API + "models/iris/versions", "{\"source\": \"" + dir + "\", \"tags\": {\"team\": \"ml\"}}"), 201);
    assertEquals("READY", v1.at("/status/state").asText(), v1.toString());
    assertEquals(1, v1.at("/spec/version").asLong());
    assertEquals("onnx", v1.at("/status/format").asText());
    assertEquals(sha256(dir.resolve("model.onnx")), v1.at("/status/files/0/sha256").asText());
    assertEquals("model.onnx", v1.at("/status/files/0/path").asText());

    ok(send("POST", API + "models/iris/versions", "{\"source\": \"" + modelDir("b") + "\"}"), 201);
    ok(send("DELETE", API + "modelversions/iris-2", null), 200);
    JsonNode v3 = ok(send("POST", API + "models/iris/versions", "{\"source\": \"" + modelDir("c") + "\"}"), 201);
    assertEquals(3, v3.at("/spec/version").asLong(), "a deleted version's number is not given again");

    error(send("POST", API + "models/iris/versions", "{\"source\": \"relative/dir\"}"), 422, "absolute");
    error(send("POST", API + "models/iris/versions", "{\"source\": \"" + files.resolve("missing") + "\"}"), 422, "not a directory");
  }

  @Test
  void twoConcurrentAliasMovesOneWinsTheOtherIsToldItIsStale() throws Exception {
    ok(send("POST", API + "models/iris/versions", "{\"source\": \"" + modelDir("a") + "\"}"), 201);
    ok(send("POST", API + "models/iris/versions", "{\"source\": \"" + modelDir("b") + "\"}"), 201);
    String read = ok(send("GET", API + "models/iris", null), 200).at("/metadata/resourceVersion").asText();
    CountDownLatch go = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
      List<Future<HttpResponse<String>>> moves = List.of(1, 2).stream().map(v -> pool.submit((Callable<HttpResponse<String>>) () -> {
        go.await();
        return send("POST", API + "models/iris/aliases",
            "{\"alias\": \"production\", \"version\": " + v + ", \"resourceVersion\": \"" + read + "\"}");
      })).toList();
      go.countDown();
      List<Integer> codes = new java.util.ArrayList<>();
      for (Future<HttpResponse<String>> f : moves) {
        codes.add(f.get().statusCode());
        if (f.get().statusCode() == 409) {
          assertTrue(Manifests.json().readTree(f.get().body()).path("error").asText().contains("changed since it was read"), f.get().body());
        }
      }
      assertEquals(List.of(200, 409), codes.stream().sorted().toList(), codes.toString());
    }
    JsonNode events = ok(send("GET", API + "models/iris/events", null), 200);
    assertEquals(1, events.size(), events.toString());
    assertTrue(events.get(0).path("message").asText().matches("production: \\(none\\) -> [12] by .+"), events.toString());
  }

  @Test
  void aVersionAnAliasPointsAtIsNotDeleted() throws Exception {
    ok(send("POST", API + "models/iris/versions", "{\"source\": \"" + modelDir("a") + "\"}"), 201);
    ok(send("POST", API + "models/iris/aliases", "{\"alias\": \"production\", \"version\": 1}"), 200);
    error(send("DELETE", API + "modelversions/iris-1", null), 409, "alias 'production'");
    String rv = ok(send("GET", API + "models/iris", null), 200).at("/metadata/resourceVersion").asText();
    ok(send("DELETE", API + "models/iris/aliases/production?resourceVersion=" + rv, null), 200);
    ok(send("DELETE", API + "modelversions/iris-1", null), 200);
    error(send("GET", API + "modelversions/iris-1", null), 404, "not found");
  }

  @Test
  void traversalInNamesAndVersionsIsRefused() throws Exception {
    error(send("PUT", API + "models/%2e%2e", "{}"), 422, "metadata.name");
    error(send("POST", API + "models/..%2fetc/versions", "{\"source\": \"/tmp\"}"), 422, "metadata.name");
    error(send("DELETE", API + "modelversions/iris-%2e%2e", null), 422, "version number");
    error(send("POST", API + "models/iris/aliases", "{\"alias\": \"../p\", \"version\": 1}"), 422, "alias");
    error(send("PUT", API + "models/iris", "{\"spec\": {\"aliases\": {\"production\": 1}}}"), 422, "spec.aliases");
  }

  @Test
  void aRestartKeepsEverythingAndFinishesWhatWasPending() throws Exception {
    Path kept = modelDir("a");
    Path gone = modelDir("b");
    ok(send("POST", API + "models/iris/versions", "{\"source\": \"" + kept + "\"}"), 201);
    ok(send("POST", API + "models/iris/versions", "{\"source\": \"" + gone + "\"}"), 201);
    ok(send("POST", API + "models/iris/aliases", "{\"alias\": \"production\", \"version\": 1}"), 200);
    plane.close();
    // as if the server had stopped after numbering both versions and before storing their files
    for (String name : List.of("iris-1", "iris-2")) {
      Path file = home.resolve("store/modelversions/default/" + name + ".json");
      ObjectNode stored = (ObjectNode) Manifests.json().readTree(file.toFile());
      ((ObjectNode) stored.get("status")).removeAll().put("state", "PENDING_REGISTRATION");
      Files.write(file, Manifests.json().writeValueAsBytes(stored));
    }
    Files.delete(gone.resolve("model.onnx"));
    Files.delete(gone);
    plane = LocalControlPlane.start(new LocalPaths(home), 0);

    assertEquals("READY", awaitFinished("iris-1").at("/status/state").asText());
    JsonNode failed = awaitFinished("iris-2");
    assertEquals("FAILED_REGISTRATION", failed.at("/status/state").asText());
    assertTrue(failed.at("/status/message").asText().contains("server stopped during registration"), failed.toString());
    assertEquals(1, ok(send("GET", API + "models/iris", null), 200).at("/spec/aliases/production").asLong());
    JsonNode v3 = ok(send("POST", API + "models/iris/versions", "{\"source\": \"" + kept + "\"}"), 201);
    assertEquals(3, v3.at("/spec/version").asLong());
  }

  private JsonNode awaitFinished(String name) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (true) {
      JsonNode v = ok(send("GET", API + "modelversions/" + name, null), 200);
      if (!v.at("/status/state").asText().equals("PENDING_REGISTRATION") || Instant.now().isAfter(deadline)) {
        return v;
      }
      Thread.sleep(50);
    }
  }

  private Path modelDir(String content) throws Exception {
    Path dir = Files.createDirectories(files.resolve("model-" + content));
    Files.writeString(dir.resolve("model.onnx"), "weights " + content);
    return dir;
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + plane.port() + path))
        .header("Authorization", "Bearer " + Files.readString(home.resolve("token")).strip());
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode ok(HttpResponse<String> r, int status) throws Exception {
    assertEquals(status, r.statusCode(), r.body());
    return Manifests.json().readTree(r.body());
  }

  private static void error(HttpResponse<String> r, int status, String fragment) throws Exception {
    assertEquals(status, r.statusCode(), r.body());
    assertTrue(Manifests.json().readTree(r.body()).path("error").asText().contains(fragment), r.body());
  }
}
