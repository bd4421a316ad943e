package dev.capstan.local.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.api.codec.Manifests;
import dev.capstan.local.LocalPaths;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may use the local API, over real HTTP: only a client that sends the home's token, addresses
 * the server by its own address, and does not come from another origin.
 */
class LocalApiAccessTest {
  static final String JOBS = "/apis/capstan.dev/v1alpha1/namespaces/default/trainingjobs";

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

  private String token() throws Exception {
    Path file = home.resolve("token");
    return Files.exists(file) ? Files.readString(file).strip() : "no-token-file";
  }

  private HttpResponse<String> get(String path, Map<String, String> headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + plane.port() + path));
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void assertError(HttpResponse<String> r, int status, String fragment) throws Exception {
    assertEquals(status, r.statusCode(), r.body());
    JsonNode body = Manifests.json().readTree(r.body());
    assertTrue(body.path("error").asText().contains(fragment), r.body());
  }

  @Test
  void onlyRequestsWithTheHomesTokenAreServed() throws Exception {
    HttpResponse<String> none = get(JOBS, Map.of());
    assertError(none, 401, "token");
    assertTrue(none.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Bearer"), none.headers().toString());
    assertError(get("/healthz", Map.of()), 401, "token");
    assertError(get(JOBS, Map.of("Authorization", "Bearer " + "x".repeat(43))), 401, "token");
    assertError(get(JOBS, Map.of("Authorization", "Basic " + token())), 401, "token");
    assertError(get(JOBS, Map.of("Authorization", "Bearer " + token() + "x")), 401, "token");

    assertEquals(200, get(JOBS, Map.of("Authorization", "Bearer " + token())).statusCode());
    assertEquals(200, get("/healthz", Map.of("Authorization", "bearer " + token())).statusCode());
  }

  @Test
  void aRequestForAnotherHostIsRefused() throws Exception {
    // java.net.http will not send a Host of our choosing; curl will, as a page on a rebound name would.
    Reply evil = curl("-H", "Host: evil.example");
    assertEquals("403", evil.status(), evil.body());
    assertTrue(evil.error().contains("Host 'evil.example'"), evil.body());
    Reply evilWithPort = curl("-H", "Host: evil.example:" + plane.port());
    assertEquals("403", evilWithPort.status(), evilWithPort.body());
    assertEquals("200", curl("-H", "Host: localhost:" + plane.port()).status());
    assertEquals("200", curl().status());
  }

  @Test
  void crossOriginRequestsAreRefusedAndNoCorsHeaderIsSent() throws Exception {
    String auth = "Bearer " + token();
    HttpResponse<String> foreign = get(JOBS, Map.of("Authorization", auth, "Origin", "http://evil.example"));
    assertError(foreign, 403, "cross-origin");
    HttpResponse<String> preflight = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + plane.port() + JOBS + "/a"))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).header("Origin", "http://evil.example")
        .header("Access-Control-Request-Method", "PUT").build(), HttpResponse.BodyHandlers.ofString());
    assertError(preflight, 403, "cross-origin");
    HttpResponse<String> own = get(JOBS, Map.of("Authorization", auth, "Origin", "http://127.0.0.1:" + plane.port()));
    assertEquals(200, own.statusCode(), own.body());
    for (HttpResponse<String> r : List.of(foreign, preflight, own)) {
      assertTrue(r.headers().map().keySet().stream().noneMatch(h -> h.toLowerCase().startsWith("access-control-")),
          r.headers().toString());
    }
  }

  @Test
  void aBodyShorterThanItsContentLengthIsAnswered400() throws Exception {
    // No HTTP client sends fewer bytes than its Content-Length; a raw socket does, like a stalled client.
    try (Socket socket = new Socket("127.0.0.1", plane.port())) {
      socket.setSoTimeout((int) TimeUnit.SECONDS.toMillis(60)); // the test fails rather than hangs
      OutputStream out = socket.getOutputStream();
      out.write(("PUT " + JOBS + "/short HTTP/1.1\r\nHost: 127.0.0.1:" + plane.port() + "\r\nAuthorization: Bearer " + token()
          + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"kind\":").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      String status = in.readLine();
      assertTrue(status != null && status.startsWith("HTTP/1.1 400"), "status line: " + status);
      String line;
      while ((line = in.readLine()) != null && !line.isEmpty()) {
        // headers
      }
      String body = in.readLine();
      assertTrue(body != null && body.contains("\"error\"") && body.contains("did not arrive"), "body: " + body);
    }
    // the server goes on serving
    assertEquals(200, get(JOBS, Map.of("Authorization", "Bearer " + token())).statusCode());
  }

  /** What curl got back. */
  private record Reply(String status, String body) {
    String error() throws Exception {
      return Manifests.json().readTree(body).path("error").asText();
    }
  }

  /** Runs curl against the job list with the token and any extra arguments. */
  private Reply curl(String... extra) throws Exception {
    List<String> argv = new ArrayList<>(List.of("curl", "-sS", "--max-time", "30", "-o", "-", "-w", "\n%{http_code}",
        "-H", "Authorization: Bearer " + token()));
    argv.addAll(List.of(extra));
    argv.add("http://127.0.0.1:" + plane.port() + JOBS);
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "curl did not finish");
    int split = out.lastIndexOf('\n');
    return new Reply(out.substring(split + 1).strip(), out.substring(0, Math.max(split, 0)));
  }
}
