package dev.capstan.kubernetes.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.api.codec.Manifests;
import dev.capstan.core.serving.RevisionKey;
import dev.capstan.core.serving.RevisionLoad;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A gateway pod's load endpoint over real HTTP. */
class LoadEndpointTest {
  private static final RevisionKey KEY = new RevisionKey("ns", "m", "m-predictor-00001");
  private final LoadBoard board = new LoadBoard();
  private final AtomicBoolean ready = new AtomicBoolean();
  private final HttpClient http = HttpClient.newHttpClient();
  private LoadEndpoint endpoint;

  @BeforeEach
  void start() throws Exception {
    endpoint = LoadEndpoint.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), board, ready::get);
  }

  @AfterEach
  void stop() {
    endpoint.close();
    http.close();
  }

  @Test
  void aWaitingReaderIsAnsweredAtOnceWhenARequestWaitsAtZero() throws Exception {
    board.reportLoad(List.of(new RevisionLoad(KEY, Instant.EPOCH, 1.5, 10, 0)));
    LoadReport first = LoadReport.fromJson(get("/capstan/v1/load").body());
    assertEquals(1, first.sequence());
    assertEquals(List.of(new RevisionLoad(KEY, Instant.EPOCH, 1.5, 10, 0)), first.loads());

    // The longest wait allowed: the answer must come from the scale-from-zero, not the timeout.
    CompletableFuture<HttpResponse<String>> waiting = http.sendAsync(
        request("/capstan/v1/load?after=1&waitMs=10000").build(), HttpResponse.BodyHandlers.ofString());
    board.scaleFromZero(KEY);
    LoadReport next = LoadReport.fromJson(waiting.get(8, TimeUnit.SECONDS).body());
    assertEquals(List.of(KEY), next.scaleFromZero());
    assertEquals(2, next.sequence());
    assertEquals(List.of(), LoadReport.fromJson(get("/capstan/v1/load?after=2&waitMs=0").body()).scaleFromZero());
  }

  @Test
  void badRequestsAreRefusedWithAnError() throws Exception {
    assertError(get("/capstan/v1/load?after=-1"), 400, "after");
    assertError(get("/capstan/v1/load?after=x"), 400, "after: not a number");
    assertError(get("/capstan/v1/load?waitMs=10001"), 400, "waitMs: must be between 0 and 10000");
    assertError(get("/capstan/v1/load?a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9"), 400, "unknown query parameter");
    assertError(get("/v2/models/m/infer"), 404, "no such path");
    HttpResponse<String> post = http.send(request("/capstan/v1/load").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertError(post, 405, "only GET");
    assertEquals("GET", post.headers().firstValue("Allow").orElse(""));
  }

  @Test
  void readinessFollowsTheGatewaysView() throws Exception {
    assertEquals(503, get("/capstan/v1/ready").statusCode());
    ready.set(true);
    assertEquals(200, get("/capstan/v1/ready").statusCode());
  }

  @Test
  void aMalformedReportIsRefusedByFieldNotMisread() {
    for (String[] bad : List.of(
        new String[] {"[]", "sequence"},
        new String[] {"{\"sequence\": 1, \"loads\": {}}", "loads: expected a list"},
        new String[] {"{\"sequence\": 1, \"loads\": [], \"scaleFromZero\": [{\"namespace\": 1}]}", "scaleFromZero[].namespace"},
        new String[] {"{\"sequence\": 1, \"loads\": [{\"namespace\": \"n\", \"service\": \"s\", \"revision\": \"r\", \"at\": \"x\"}], \"scaleFromZero\": []}", "loads[].at"},
        new String[] {"{\"sequence\": 1, \"loads\": [{\"namespace\": \"n\", \"service\": \"s\", \"revision\": \"r\", \"at\": \"1970-01-01T00:00:00Z\", \"averageConcurrency\": -1}], \"scaleFromZero\": []}", "averageConcurrency"},
        new String[] {"not json", "not JSON"})) {
      try {
        LoadReport.fromJson(bad[0]);
        throw new AssertionError("accepted " + bad[0]);
      } catch (IllegalArgumentException e) {
        assertTrue(e.getMessage().contains(bad[1]), e.getMessage());
      }
    }
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + path)).timeout(Duration.ofSeconds(30));
  }

  private static void assertError(HttpResponse<String> response, int code, String message) throws Exception {
    assertEquals(code, response.statusCode(), response.body());
    String error = Manifests.json().readTree(response.body()).path("error").asText();
    assertTrue(error.contains(message), error);
  }
}
