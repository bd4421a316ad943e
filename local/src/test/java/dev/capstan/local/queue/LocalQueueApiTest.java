package dev.capstan.local.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.api.codec.Manifests;
import dev.capstan.local.LocalPaths;
import dev.capstan.local.server.LocalControlPlane;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Queues in local mode over real HTTP: checked on apply, quota holds a job back with a reason, the
 * status and the Prometheus metrics count.
 */
class LocalQueueApiTest {
  private static final String API = "/apis/capstan.dev/v1alpha1/namespaces/queue-test/";

  @TempDir Path home;
  LocalControlPlane plane;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    plane = LocalControlPlane.start(new LocalPaths(home), 0);
  }

  @AfterEach
  void stop() throws Exception {
    for (String job : new String[] {"first", "second", "lost"}) {
      send("DELETE", API + "trainingjobs/" + job, null);
    }
    long deadline = System.nanoTime() + 90_000_000_000L;
    while (Manifests.json().readTree(send("GET", API + "trainingjobs", null).body()).path("items").size() > 0
        && System.nanoTime() < deadline) {
      plane.wake();
      Thread.sleep(100);
    }
    plane.close();
  }

  @Test
  void aQueuesQuotaHoldsJobsBackAndItsStatusCounts() throws Exception {
    HttpResponse<String> bad = send("PUT", API + "queues/research", queue("\"-1\""));
    assertEquals(422, bad.statusCode(), bad.body());
    assertTrue(bad.body().contains("spec.resources.cpu.nominalQuota"), bad.body());
    assertEquals(201, send("PUT", API + "queues/research", queue("\"1\"")).statusCode());
    assertEquals(201, send("PUT", API + "trainingjobs/first", job("research")).statusCode());
    awaitJob("first", j -> "Starting".equals(j.path("status").path("state").asText())
        || "Running".equals(j.path("status").path("state").asText()));
    assertEquals(201, send("PUT", API + "trainingjobs/second", job("research")).statusCode());
    assertEquals(201, send("PUT", API + "trainingjobs/lost", job("nowhere")).statusCode());

    JsonNode second = awaitJob("second", j -> j.path("status").path("queuePosition").asInt() == 1);
    assertEquals("Queued", second.path("status").path("state").asText());
    assertEquals("research", second.path("status").path("queue").asText());
    assertTrue(second.path("status").path("message").asText().contains("waiting for quota: cpu 1 > 0"), second.toString());
    JsonNode lost = awaitJob("lost", j -> "Queued".equals(j.path("status").path("state").asText()));
    assertEquals("no Queue named 'nowhere'", lost.path("status").path("message").asText());

    JsonNode status = await(API + "queues/research", q -> q.path("status").path("pendingWorkloads").asInt() == 1).path("status");
    assertEquals(1, status.path("admittedWorkloads").asInt());
    assertEquals("1", status.path("usage").path("cpu").asText());
    JsonNode active = status.path("conditions").get(0);
    assertEquals("Active True Ready", active.path("type").asText() + " " + active.path("status").asText() + " "
        + active.path("reason").asText(), status.toString());

    HttpResponse<String> metrics = send("GET", "/metrics", null);
    assertEquals(200, metrics.statusCode(), metrics.body());
    assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
    String text = metrics.body();
    for (String line : new String[] {"capstan_queue_pending_workloads{queue=\"research\"} 1",
        "capstan_queue_admitted_workloads{queue=\"research\"} 1",
        "capstan_queue_resource_usage{queue=\"research\",resource=\"cpu\"} 1",
        "capstan_queue_resource_nominal_quota{queue=\"research\",resource=\"cpu\"} 1",
        "capstan_queue_admission_wait_seconds_count{queue=\"research\"} 1",
        "# TYPE capstan_queue_preemptions_total counter"}) {
      assertTrue(text.lines().anyMatch(line::equals), () -> "no line '" + line + "' in:\n" + text);
    }
    assertEquals(401, HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + plane.port() + "/metrics"))
        .build(), HttpResponse.BodyHandlers.ofString()).statusCode(), "the metrics need the token like the rest of the API");
    assertEquals(405, send("POST", "/metrics", "").statusCode());
    PromtoolCheck.assertValid(text);
  }

  private static String queue(String cpu) {
    return "{\"apiVersion\":\"capstan.dev/v1alpha1\",\"kind\":\"Queue\",\"spec\":{\"namespaces\":[\"queue-test\"],"
        + "\"resources\":{\"cpu\":{\"nominalQuota\":" + cpu + "}}}}";
  }

  private static String job(String queue) {
    return "{\"apiVersion\":\"capstan.dev/v1alpha1\",\"kind\":\"TrainingJob\",\"spec\":{\"framework\":\"generic\",\"queue\":\""
        + queue + "\",\"replicas\":{\"main\":{\"count\":1,\"template\":{\"spec\":{\"containers\":[{\"name\":\"main\","
        + "\"command\":[\"sleep\",\"300\"],\"resources\":{\"requests\":{\"cpu\":\"1\"}}}]}}}}}}";
  }

  private JsonNode awaitJob(String name, Predicate<JsonNode> until) throws Exception {
    return await(API + "trainingjobs/" + name, until);
  }

  private JsonNode await(String path, Predicate<JsonNode> until) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (true) {
      JsonNode node = Manifests.json().readTree(send("GET", path, null).body());
      if (until.test(node)) {
        return node;
      }
      assertTrue(System.nanoTime() < deadline, () -> "not reached in 60 s: " + node);
      plane.wake();
      Thread.sleep(50);
    }
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + plane.port() + path))
        .header("Authorization", "Bearer " + Files.readString(home.resolve("token")).strip());
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
