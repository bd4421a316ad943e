package dev.capstan.local.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.codec.Manifests;
import dev.capstan.api.registry.ModelVersion;
import dev.capstan.api.training.TrainingJob;
import dev.capstan.api.training.TrainingJobStatus;
import dev.capstan.core.ports.EventSink;
import dev.capstan.core.registry.JobLineage;
import dev.capstan.artifacts.ArtifactStores;
import dev.capstan.local.LocalPaths;
import dev.capstan.local.server.LocalControlPlane;
import dev.capstan.local.store.FileResourceStore;
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
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TrainingJob with {@code spec.output} that succeeds registers exactly one version, with its
 * lineage filled in from the job: over a real control plane running the job as a real process, and
 * across a simulated crash between recording the success and registering it.
 */
class JobOutputRegistrationTest {
  static final String API = "/apis/capstan.dev/v1alpha1/namespaces/default/";
  @TempDir Path home;
  @TempDir Path files;
  final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aSucceededJobRegistersItsOutputWithLineage() throws Exception {
    Path dataset = Files.writeString(files.resolve("iris.csv"), "5.1,3.5,1.4,0.2,setosa\n");
    Path base = Files.createDirectories(files.resolve("base"));
    Files.writeString(base.resolve("model.onnx"), "base weights");
    try (LocalControlPlane plane = LocalControlPlane.start(new LocalPaths(home), 0)) {
      ok(send(plane, "POST", API + "models/base/versions", "{\"source\": \"" + base + "\"}"), 201);
      ok(send(plane, "POST", API + "models/base/aliases", "{\"alias\": \"production\", \"version\": 1}"), 200);
      String script = "mkdir -p \"$CAPSTAN_OUTPUT_DIR/model\" && printf trained > \"$CAPSTAN_OUTPUT_DIR/model/model.onnx\""
          + " && printf log > \"$CAPSTAN_OUTPUT_DIR/train.log\" && echo accuracy=0.97";
      String job = Manifests.json().writeValueAsString(Map.of("apiVersion", "capstan.dev/v1alpha1", "kind", "TrainingJob",
          "spec", Map.of("framework", "generic",
              "replicas", Map.of("main", Map.of("template", Map.of("spec", Map.of("containers",
                  List.of(Map.of("name", "main", "command", List.of("/bin/sh", "-c", script))))))),
              "output", Map.of("model", "iris", "path", "model"),
              "inputs", List.of(dataset.toString(), "models:/base@production", "s3://datasets/iris/"))));
      ok(send(plane, "PUT", API + "trainingjobs/train-iris", job), 201);

      JsonNode version = await(plane, "modelversions/iris-1", v -> v.at("/status/state").asText().equals("READY"));
      JsonNode stored = ok(send(plane, "GET", API + "trainingjobs/train-iris", null), 200);
      assertEquals("Succeeded", stored.at("/status/state").asText());
      JsonNode lineage = version.at("/spec/lineage");
      assertEquals("default", lineage.at("/job/namespace").asText());
      assertEquals("train-iris", lineage.at("/job/name").asText());
      assertEquals(stored.at("/metadata/uid").asText(), lineage.at("/job/uid").asText());
      assertEquals(1, lineage.at("/job/generation").asLong());
      assertEquals(JobLineage.specSha256(Manifests.json().convertValue(stored, TrainingJob.class)), lineage.at("/job/specSha256").asText());
      assertEquals("generic", lineage.at("/framework").asText());
      assertEquals(List.of("/bin/sh", "-c", script), Manifests.json().convertValue(lineage.at("/command"), List.class));
      assertEquals("0.97", lineage.at("/metrics/accuracy").asText());
      assertEquals(0.97, version.at("/spec/metrics/accuracy").asDouble());
      assertEquals(stored.at("/status/startTime").asText(), lineage.at("/startTime").asText());
      assertEquals(stored.at("/status/completionTime").asText(), lineage.at("/completionTime").asText());
      assertEquals(dataset.toString(), lineage.at("/inputs/0/uri").asText());
      assertEquals(sha256(Files.readAllBytes(dataset)), lineage.at("/inputs/0/sha256").asText());
      assertEquals("models:/base@production", lineage.at("/inputs/1/uri").asText());
      assertEquals("not hashed: not a local file", lineage.at("/inputs/2/note").asText());
      assertEquals("base", lineage.at("/parent/model").asText());
      assertEquals(1, lineage.at("/parent/version").asLong());
      assertEquals(List.of("model.onnx"), version.at("/status/files").findValuesAsText("path"), "only spec.output.path is registered");
      assertEquals(sha256("trained".getBytes()), version.at("/status/files/0/sha256").asText());
      Path output = home.resolve("outputs/default/train-iris").resolve(stored.at("/metadata/uid").asText());
      awaitTrue(() -> !Files.exists(output), "the output directory goes once its version is READY");

      ok(send(plane, "DELETE", API + "trainingjobs/train-iris", null), 202);
      await(plane, "trainingjobs/train-iris", j -> j.isMissingNode());
      assertEquals(lineage, ok(send(plane, "GET", API + "modelversions/iris-1", null), 200).at("/spec/lineage"),
          "the lineage is a copy and outlives the job");
      assertEquals(404, send(plane, "GET", API + "modelversions/iris-2", null).statusCode(), "one version per job");
    }
  }

  @Test
  void aCrashBetweenSuccessAndRegistrationNeitherLosesNorDuplicatesTheVersion() throws Exception {
    FileResourceStore store = new FileResourceStore(home.resolve("store"));
    TrainingJob job = storedJob(store);
    Path output = JobOutputDirectories.under(home).modelFiles(job, new dev.capstan.api.training.JobOutput("iris", java.util.Optional.empty()));
    Files.createDirectories(output);
    Files.writeString(output.resolve("model.onnx"), "trained");
    TrainingJobStatus succeeded = new TrainingJobStatus();
    succeeded.setState("Succeeded");
    succeeded.setMetrics(Map.of("loss", "0.1"));

    // the server records the success, then dies before storing the status or registering
    registrations(store).succeeded(job, succeeded);
    JobOutputRegistrations afterRestart = registrations(store);
    afterRestart.drain();
    assertEquals(0, registry(store).listVersions("default", "iris").size(), "nothing registers before the success is stored");

    // the restarted controller decides Succeeded again: recorded once more, then stored
    afterRestart.succeeded(job, succeeded);
    store.updateStatus(TrainingJob.PLURAL, "default", "train", Manifests.json().valueToTree(succeeded));
    // the registration is interrupted after the version was made, before the record was removed
    Path recorded = home.resolve("registry/job-outputs/" + job.getMetadata().getUid() + ".json");
    byte[] record = Files.readAllBytes(recorded);
    afterRestart.drain();
    Files.write(recorded, record);
    registrations(store).drain();
    registrations(store).drain();

    List<ModelVersion> versions = registry(store).listVersions("default", "iris");
    assertEquals(1, versions.size(), "exactly one version for the job");
    assertEquals("READY", versions.get(0).getStatus().getState());
    assertEquals("0.1", versions.get(0).getSpec().getLineage().metrics().get("loss"));
    assertFalse(Files.exists(recorded), "the record goes once its version exists");
  }

  private TrainingJob storedJob(FileResourceStore store) {
    ObjectNode manifest = Manifests.json().valueToTree(Map.of("apiVersion", "capstan.dev/v1alpha1", "kind", "TrainingJob",
        "metadata", Map.of("namespace", "default", "name", "train"),
        "spec", Map.of("framework", "generic", "output", Map.of("model", "iris"),
            "replicas", Map.of("main", Map.of("template", Map.of("spec", Map.of("containers",
                List.of(Map.of("name", "main", "command", List.of("true"))))))))));
    return Manifests.json().convertValue(store.apply(TrainingJob.PLURAL, manifest), TrainingJob.class);
  }

  private JobOutputRegistrations registrations(FileResourceStore store) {
    return new JobOutputRegistrations(home, registry(store), store, TestingEvents.NONE);
  }

  private ModelRegistry registry(FileResourceStore store) {
    return new ModelRegistry(store, ArtifactStores.fromEnvironment(Map.of(), home), TestingEvents.NONE, "tester");
  }

  /** Events nobody reads. */
  enum TestingEvents implements EventSink {
    NONE;

    @Override
    public void record(String object, EventType type, String reason, String message) {}
  }

  private JsonNode await(LocalControlPlane plane, String path, java.util.function.Predicate<JsonNode> done) throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(90));
    while (true) {
      HttpResponse<String> r = send(plane, "GET", API + path, null);
      JsonNode node = r.statusCode() == 404 ? com.fasterxml.jackson.databind.node.MissingNode.getInstance()
          : Manifests.json().readTree(r.body());
      if (done.test(node)) {
        return node;
      }
      assertTrue(Instant.now().isBefore(deadline), path + " did not get there in 90 s: " + r.body());
      plane.wake();
      Thread.sleep(100);
    }
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (!condition.getAsBoolean()) {
      assertTrue(Instant.now().isBefore(deadline), what);
      Thread.sleep(50);
    }
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private HttpResponse<String> send(LocalControlPlane plane, String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + plane.port() + path))
        .header("Authorization", "Bearer " + Files.readString(home.resolve("token")).strip());
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode ok(HttpResponse<String> r, int status) throws Exception {
    assertEquals(status, r.statusCode(), r.body());
    return Manifests.json().readTree(r.body());
  }
}
