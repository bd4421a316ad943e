package dev.capstan.local.mlflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.api.codec.Manifests;
import dev.capstan.local.LocalPaths;
import dev.capstan.local.server.LocalControlPlane;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MLflow REST subset of a real control plane over real HTTP, for what the third-party client
 * test does not reach: requests as MLflow's Python client shapes them (DELETE with a JSON body),
 * lineage from a real TrainingJob through {@code run_id}, and every malformed request answered
 * with MLflow's error shape and a 4xx, never a 500.
 */
class MlflowApiTest {
  @TempDir Path home;
  @TempDir Path model;
  LocalControlPlane plane;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    plane = LocalControlPlane.start(new LocalPaths(home), 0);
    Files.writeString(model.resolve("model.onnx"), "not really onnx");
    Files.createDirectories(model.resolve("extra"));
    Files.writeString(model.resolve("extra/labels.txt"), "cat\ndog\n");
  }

  @AfterEach
  void stop() {
    plane.close();
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + plane.port() + path))
        .header("Authorization", "Bearer " + Files.readString(home.resolve("token")).strip())
        .header("Content-Type", "application/json");
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode ok(String method, String path, String body) throws Exception {
    HttpResponse<String> r = send(method, path, body);
    assertEquals(200, r.statusCode(), method + " " + path + ": " + r.body());
    return Manifests.json().readTree(r.body());
  }

  private static void assertMlflowError(HttpResponse<String> r, int status, String code, String fragment) throws Exception {
    assertEquals(status, r.statusCode(), r.body());
    assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
    JsonNode body = Manifests.json().readTree(r.body());
    assertEquals(code, body.path("error_code").asText(), r.body());
    assertTrue(body.path("message").asText().contains(fragment), r.body());
  }

  private static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static final String API = "/api/2.0/mlflow/";

  @Test
  void aVersionFromAJobCarriesItsLineageAndDeletesTakeJsonBodies() throws Exception {
    String job = "{\"apiVersion\":\"capstan.dev/v1alpha1\",\"kind\":\"TrainingJob\",\"spec\":{\"framework\":\"generic\","
        + "\"runPolicy\":{\"suspend\":true},\"replicas\":{\"main\":{\"count\":1,\"template\":{\"spec\":{\"containers\":"
        + "[{\"name\":\"main\",\"command\":[\"python3\",\"train.py\"]}]}}}}}}";
    assertEquals(201, send("PUT", "/apis/capstan.dev/v1alpha1/namespaces/default/trainingjobs/trainer", job).statusCode());
    ok("POST", API + "registered-models/create", "{\"name\": \"iris\"}");

    JsonNode v = ok("POST", API + "model-versions/create",
        "{\"name\": \"iris\", \"source\": \"file://" + model + "\", \"run_id\": \"trainer\", \"description\": \"first\"}")
        .path("model_version");
    assertEquals("1", v.path("version").asText());
    assertTrue(v.path("version").isTextual(), "versions are strings, as MLflow sends them");
    assertEquals("READY", v.path("status").asText(), v.toString());
    assertEquals("trainer", v.path("run_id").asText());
    assertEquals("None", v.path("current_stage").asText());
    assertTrue(v.path("creation_timestamp").isIntegralNumber());
    // the job's lineage is in the version as Capstan stores it
    JsonNode stored = Manifests.json().readTree(send("GET", "/apis/capstan.dev/v1alpha1/namespaces/default/modelversions/iris-1", null).body());
    assertEquals("trainer", stored.path("spec").path("lineage").path("job").path("name").asText(), stored.toString());
    assertEquals("[\"python3\",\"train.py\"]", stored.path("spec").path("lineage").path("command").toString(), stored.toString());

    JsonNode found = ok("GET", API + "model-versions/search?filter=" + q("run_id = 'trainer'"), null);
    assertEquals(1, found.path("model_versions").size(), found.toString());
    assertMlflowError(send("POST", API + "model-versions/create", "{\"name\": \"iris\", \"source\": \"" + model + "\", \"run_id\": \"gone\"}"),
        404, "RESOURCE_DOES_NOT_EXIST", "run_id 'gone' names no TrainingJob");

    // MLflow's Python client sends DELETE with a JSON body
    ok("POST", API + "registered-models/alias", "{\"name\": \"iris\", \"alias\": \"champion\", \"version\": \"1\"}");
    assertMlflowError(send("DELETE", API + "model-versions/delete", "{\"name\": \"iris\", \"version\": \"1\"}"),
        409, "RESOURCE_CONFLICT", "champion");
    ok("DELETE", API + "registered-models/alias", "{\"name\": \"iris\", \"alias\": \"champion\"}");
    ok("DELETE", API + "model-versions/delete", "{\"name\": \"iris\", \"version\": \"1\"}");
    assertMlflowError(send("GET", API + "model-versions/get?name=iris&version=1", null), 404, "RESOURCE_DOES_NOT_EXIST", "not found");
    // older clients resolve models:/iris/latest with get-latest-versions; Capstan's one stage is None
    ok("POST", API + "model-versions/create", "{\"name\": \"iris\", \"source\": \"" + model + "\"}");
    JsonNode latest = ok("POST", API + "registered-models/get-latest-versions", "{\"name\": \"iris\"}");
    assertEquals(1, latest.path("model_versions").size(), latest.toString());
    assertEquals("2", latest.path("model_versions").get(0).path("version").asText(), latest.toString());
    assertEquals("{}", ok("GET", API + "registered-models/get-latest-versions?name=iris&stages=Production", null).toString());
    assertEquals("2", ok("GET", API + "registered-models/get-latest-versions?name=iris&stages=None", null)
        .path("model_versions").get(0).path("version").asText());
    // numbers are never reused
    assertEquals("3", ok("POST", API + "model-versions/create", "{\"name\": \"iris\", \"source\": \"" + model + "\"}")
        .path("model_version").path("version").asText());
    ok("DELETE", API + "registered-models/delete", "{\"name\": \"iris\"}");
    assertEquals("{}", ok("GET", API + "registered-models/search", null).toString());
  }

  @Test
  void malformedRequestsGetMlflowErrorsNeverA500() throws Exception {
    ok("POST", API + "registered-models/create", "{\"name\": \"iris\"}");
    assertMlflowError(send("POST", API + "registered-models/create", "{not json"), 400, "INVALID_PARAMETER_VALUE", "not valid JSON");
    assertMlflowError(send("POST", API + "registered-models/create", "[1]"), 400, "INVALID_PARAMETER_VALUE", "JSON object");
    assertMlflowError(send("POST", API + "registered-models/create", "{\"name\": 7}"), 400, "INVALID_PARAMETER_VALUE", "'name'");
    assertMlflowError(send("POST", API + "registered-models/create", "{}"), 400, "INVALID_PARAMETER_VALUE", "'name'");
    assertMlflowError(send("POST", API + "registered-models/create", "{\"name\": \"Not A Label\"}"), 400, "INVALID_PARAMETER_VALUE",
        "Invalid value for parameter 'name'");
    assertMlflowError(send("POST", API + "registered-models/create", "{\"name\": \"iris\"}"), 400, "RESOURCE_ALREADY_EXISTS", "iris");
    assertMlflowError(send("POST", API + "registered-models/create", "{\"name\": \"" + "x".repeat(MlflowApi.MAX_BODY) + "\"}"),
        413, "INVALID_PARAMETER_VALUE", "larger than");
    assertMlflowError(send("GET", API + "registered-models/get?name=nope", null), 404, "RESOURCE_DOES_NOT_EXIST", "nope");
    assertMlflowError(send("GET", API + "experiments/list", null), 404, "ENDPOINT_NOT_FOUND", "registered-models/create");
    assertMlflowError(send("PUT", API + "registered-models/create", "{}"), 405, "BAD_REQUEST", "use POST");
    // fetch() (the npm client's transport) sends PATCH in the case the caller wrote it
    assertEquals("lowercase", ok("patch", API + "registered-models/update", "{\"name\": \"iris\", \"description\": \"lowercase\"}")
        .path("registered_model").path("description").asText());
    assertMlflowError(send("POST", API + "registered-models/rename", "{\"name\": \"iris\", \"new_name\": \"lily\"}"),
        400, "INVALID_PARAMETER_VALUE", "Renaming a registered model is not supported");
    assertMlflowError(send("GET", API + "registered-models/search?max_results=1001", null), 400, "INVALID_PARAMETER_VALUE", "between 1 and 1000");
    assertMlflowError(send("GET", API + "registered-models/search?page_token=abc", null), 400, "INVALID_PARAMETER_VALUE", "page token");
    assertMlflowError(send("GET", API + "registered-models/search?order_by=owner", null), 400, "INVALID_PARAMETER_VALUE", "order_by");
    assertMlflowError(send("GET", API + "model-versions/search?filter=" + q("name = 'iris' OR name = 'x'"), null),
        400, "INVALID_PARAMETER_VALUE", "OR is not supported");
  }

  @Test
  void sourcesAndVersionsThatCouldEscapeAreRefused() throws Exception {
    ok("POST", API + "registered-models/create", "{\"name\": \"iris\"}");
    for (String version : new String[] {"..%2F1", "%2e%2e", "-1", "0", "1.5", "1%2F..%2F2"}) {
      assertMlflowError(send("GET", API + "model-versions/get?name=iris&version=" + version, null), 400, "INVALID_PARAMETER_VALUE", "'version'");
    }
    for (String name : new String[] {"..", "..%2Fetc", "%2e%2e", "a%2Fb"}) {
      HttpResponse<String> r = send("GET", API + "registered-models/get?name=" + name, null);
      assertMlflowError(r, 400, "INVALID_PARAMETER_VALUE", "'name'");
    }
    assertMlflowError(send("POST", API + "model-versions/create", "{\"name\": \"iris\", \"source\": \"relative/dir\"}"),
        400, "INVALID_PARAMETER_VALUE", "'source'");
    assertMlflowError(send("POST", API + "model-versions/create", "{\"name\": \"iris\", \"source\": \"/tmp/a\\u0000b\"}"),
        400, "INVALID_PARAMETER_VALUE", "'source'");
    assertMlflowError(send("POST", API + "model-versions/create", "{\"name\": \"iris\", \"source\": \"file:///tmp/a%00b\"}"),
        400, "INVALID_PARAMETER_VALUE", "'source'");
    assertMlflowError(send("POST", API + "model-versions/create", "{\"name\": \"iris\", \"source\": \"s3://bucket/model\"}"),
        400, "INVALID_PARAMETER_VALUE", "not a local directory");
    assertMlflowError(send("POST", API + "model-versions/create", "{\"name\": \"absent\", \"source\": \"" + model + "\"}"),
        404, "RESOURCE_DOES_NOT_EXIST", "absent");
    assertMlflowError(send("POST", API + "registered-models/alias", "{\"name\": \"iris\", \"alias\": \"prod\", \"version\": \"9\"}"),
        404, "RESOURCE_DOES_NOT_EXIST", "9");
  }

  @Test
  void tagsAreSetAndDeletedOneAtATime() throws Exception {
    ok("POST", API + "registered-models/create", "{\"name\": \"iris\", \"tags\": [{\"key\": \"team\", \"value\": \"risk\"}]}");
    ok("POST", API + "model-versions/create", "{\"name\": \"iris\", \"source\": \"" + model + "\"}");
    // calls at once on different keys all stay
    List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      String body = "{\"name\": \"iris\", \"key\": \"k" + i + "\", \"value\": \"v" + i + "\"}";
      calls.add(CompletableFuture.supplyAsync(() -> {
        try {
          return send("POST", API + "registered-models/set-tag", body);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    for (CompletableFuture<HttpResponse<String>> call : calls) {
      assertEquals(200, call.get().statusCode(), call.get().body());
    }
    JsonNode tags = ok("GET", API + "registered-models/get?name=iris", null).path("registered_model").path("tags");
    assertEquals(9, tags.size(), tags.toString());
    ok("DELETE", API + "registered-models/delete-tag", "{\"name\": \"iris\", \"key\": \"team\"}");
    assertMlflowError(send("DELETE", API + "registered-models/delete-tag", "{\"name\": \"iris\", \"key\": \"team\"}"),
        404, "RESOURCE_DOES_NOT_EXIST", "no tag 'team'");
    assertMlflowError(send("POST", API + "registered-models/set-tag", "{\"name\": \"iris\", \"key\": \"k\"}"),
        400, "INVALID_PARAMETER_VALUE", "'value'");

    ok("POST", API + "model-versions/set-tag", "{\"name\": \"iris\", \"version\": \"1\", \"key\": \"data\", \"value\": \"\"}");
    JsonNode v = ok("GET", API + "model-versions/get?name=iris&version=1", null).path("model_version");
    assertEquals("[{\"key\":\"data\",\"value\":\"\"}]", v.path("tags").toString());
    ok("DELETE", API + "model-versions/delete-tag", "{\"name\": \"iris\", \"version\": \"1\", \"key\": \"data\"}");
    assertTrue(ok("GET", API + "model-versions/get?name=iris&version=1", null).path("model_version").path("tags").isMissingNode());
  }

  @Test
  void aStalledBodyIsAnswered400AndTheServerGoesOn() throws Exception {
    // a raw socket sends fewer bytes than its Content-Length, like a stalled client
    try (Socket socket = new Socket("127.0.0.1", plane.port())) {
      socket.setSoTimeout(60_000); // the test fails rather than hangs
      OutputStream out = socket.getOutputStream();
      out.write(("POST " + API + "registered-models/create HTTP/1.1\r\nHost: 127.0.0.1:" + plane.port()
          + "\r\nAuthorization: Bearer " + Files.readString(home.resolve("token")).strip()
          + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"name\":").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8)).readLine();
      assertTrue(status != null && status.startsWith("HTTP/1.1 400"), "status line: " + status);
    }
    ok("POST", API + "registered-models/create", "{\"name\": \"after\"}");
  }

  @Test
  void theMlflowApiNeedsTheToken() throws Exception {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + plane.port() + API
        + "registered-models/search")).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(401, r.statusCode(), r.body());
  }
}
