package dev.capstan.local.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.api.codec.Manifests;
import dev.capstan.local.LocalPaths;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local API over real HTTP: malformed requests get a 4xx with {"error": …}, never a 500. */
class LocalApiTest {
  @TempDir Path home;
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

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + plane.port() + path))
        .header("Authorization", "Bearer " + Files.readString(home.resolve("token")).strip());
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void assertError(HttpResponse<String> r, int status, String fragment) throws Exception {
    assertEquals(status, r.statusCode(), r.body());
    JsonNode body = Manifests.json().readTree(r.body());
    assertTrue(body.path("error").asText().contains(fragment), r.body());
  }

  static final String JOBS = "/apis/capstan.dev/v1alpha1/namespaces/default/trainingjobs";

  @Test
  void malformedRequestsGetClientErrors() throws Exception {
    assertError(send("PUT", JOBS + "/a", "{not json"), 400, "not valid JSON");
    assertError(send("PUT", JOBS + "/a", "[1,2]"), 400, "JSON object");
    assertError(send("PUT", JOBS + "/a", "{\"metadata\": 3}"), 422, "metadata");
    assertError(send("PUT", JOBS + "/a", "{\"apiVersion\":\"capstan.dev/v1alpha1\",\"kind\":\"Pod\"}"), 422, "unknown kind");
    assertError(send("PUT", JOBS + "/a", "{\"apiVersion\":\"capstan.dev/v1alpha1\",\"kind\":\"TrainingJob\",\"spec\":[]}"), 422, "spec");
    assertError(send("PUT", JOBS + "/a", "{\"apiVersion\":\"capstan.dev/v1alpha1\",\"kind\":\"TrainingJob\",\"metadata\":{\"name\":\"b\"}}"),
        400, "does not match");
    assertError(send("GET", JOBS + "/missing", null), 404, "not found");
    assertError(send("GET", "/apis/capstan.dev/v1alpha1/namespaces/default/widgets", null), 404, "unknown resource type");
    assertError(send("POST", JOBS + "/a", "{}"), 405, "not allowed");
    assertError(send("PUT", JOBS + "/a", "x".repeat(HttpExchanges.MAX_BODY + 10)), 413, "larger than");
  }

  @Test
  void aValidJobIsStoredAndListed() throws Exception {
    String job = "{\"apiVersion\":\"capstan.dev/v1alpha1\",\"kind\":\"TrainingJob\",\"spec\":{\"framework\":\"generic\","
        + "\"replicas\":{\"main\":{\"count\":1,\"template\":{\"spec\":{\"containers\":[{\"name\":\"main\",\"command\":[\"true\"]}]}}}}}}";
    assertEquals(201, send("PUT", JOBS + "/ok", job).statusCode());
    assertEquals(200, send("PUT", JOBS + "/ok", job).statusCode());
    JsonNode list = Manifests.json().readTree(send("GET", JOBS, null).body());
    assertEquals("ok", list.path("items").get(0).path("metadata").path("name").asText());
    assertEquals(202, send("DELETE", JOBS + "/ok", null).statusCode());
    // The job goes once its replica has been stopped and released; nothing of it writes on after.
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (send("GET", JOBS + "/ok", null).statusCode() != 404) {
      assertTrue(System.nanoTime() < deadline, "the deleted job is still there after 60 s");
      plane.wake();
      Thread.sleep(50);
    }
  }
}
