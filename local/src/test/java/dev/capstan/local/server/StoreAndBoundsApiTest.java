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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over real HTTP: a corrupt store file does not stop the server (it is listed as quarantined with
 * its path), and sizes past the documented bounds get a 422 naming the field, never a 500.
 */
class StoreAndBoundsApiTest {
  static final String JOBS = "/apis/capstan.dev/v1alpha1/namespaces/default/trainingjobs";

  @TempDir Path home;
  final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> send(LocalControlPlane plane, String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + plane.port() + path))
        .header("Authorization", "Bearer " + Files.readString(home.resolve("token")).strip());
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String job(String count, String memory) {
    // Suspended: these tests are about the store and the bounds, so nothing needs to run.
    return "{\"apiVersion\":\"capstan.dev/v1alpha1\",\"kind\":\"TrainingJob\",\"spec\":{\"framework\":\"generic\","
        + "\"runPolicy\":{\"suspend\":true},"
        + "\"replicas\":{\"main\":{\"count\":" + count + ",\"template\":{\"spec\":{\"containers\":[{\"name\":\"main\","
        + "\"command\":[\"true\"],\"resources\":{\"requests\":{\"memory\":\"" + memory + "\"}}}]}}}}}}";
  }

  @Test
  void aCorruptStoreFileIsQuarantinedAndTheServerServesTheRest() throws Exception {
    LocalPaths paths = new LocalPaths(home);
    Path corrupt = paths.store().resolve("trainingjobs/default/broken.json");
    Files.createDirectories(corrupt.getParent());
    Files.writeString(corrupt, "[]");

    try (LocalControlPlane plane = LocalControlPlane.start(paths, 0)) {
      assertEquals(201, send(plane, "PUT", JOBS + "/fine", job("1", "1Mi")).statusCode());
      JsonNode list = Manifests.json().readTree(send(plane, "GET", JOBS, null).body());
      assertEquals("fine", list.path("items").get(0).path("metadata").path("name").asText());
      JsonNode quarantined = list.path("quarantined").get(0);
      assertEquals("trainingjobs/default/broken.json", quarantined.path("file").asText());
      assertEquals("not a JSON object (is array)", quarantined.path("reason").asText());
      assertTrue(Files.exists(Path.of(quarantined.path("movedTo").asText())), list.toString());
    }
  }

  @Test
  void sizesPastTheBoundsAreRefusedWithTheirPath() throws Exception {
    try (LocalControlPlane plane = LocalControlPlane.start(new LocalPaths(home), 0)) {
      HttpResponse<String> tenEi = send(plane, "PUT", JOBS + "/huge", job("1", "10Ei"));
      assertEquals(422, tenEi.statusCode(), tenEi.body());
      assertTrue(tenEi.body().contains("spec.replicas.main.template.spec.containers[0].resources.requests.memory"), tenEi.body());

      HttpResponse<String> wraps = send(plane, "PUT", JOBS + "/wraps", job("20", "465458732Gi"));
      assertEquals(422, wraps.statusCode(), wraps.body());
      assertTrue(wraps.body().contains("at most 1Ei of memory"), wraps.body());

      HttpResponse<String> billion = send(plane, "PUT", JOBS + "/billion", job("1000000000", "1Mi"));
      assertEquals(422, billion.statusCode(), billion.body());
      assertTrue(billion.body().contains("spec.replicas.main.count"), billion.body());
    }
  }
}
