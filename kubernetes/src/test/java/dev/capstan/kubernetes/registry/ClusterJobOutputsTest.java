package dev.capstan.kubernetes.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.api.codec.Manifests;
import dev.capstan.api.registry.Model;
import dev.capstan.api.registry.ModelVersion;
import dev.capstan.api.training.TrainingJob;
import dev.capstan.artifacts.ArtifactLimits;
import dev.capstan.artifacts.file.FileArtifactStore;
import dev.capstan.core.registry.JobLineage;
import dev.capstan.kubernetes.RbacRules;
import dev.capstan.kubernetes.RecordingDispatcher;
import dev.capstan.kubernetes.TestingCluster;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's registration of a Succeeded job's output against fabric8's mock API server (CRUD,
 * the generated CRDs installed): one READY version with lineage, exactly once across repeated and
 * interrupted passes, replicas told where to write, and every call it makes granted by
 * deploy/rbac.yaml. The output location is a directory and the artifact store the file store here;
 * in a cluster both are S3 (the same ArtifactSources and ArtifactStore calls).
 */
class ClusterJobOutputsTest {
  private static final String AGENT = "capstan-registry-under-test";
  @TempDir Path temp;
  private final RecordingDispatcher recorder = new RecordingDispatcher(new KubernetesMixedDispatcher(new HashMap<>()));
  private final KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(), recorder, true);
  private KubernetesClient admin;
  private KubernetesClient operator;
  private ClusterJobOutputs outputs;

  @BeforeEach
  void start() {
    server.init();
    admin = server.createClient();
    for (String crd : List.of("trainingjobs.capstan.dev-v1.yml", "models.capstan.dev-v1.yml", "modelversions.capstan.dev-v1.yml")) {
      admin.resource(TestingCluster.generatedCrd(crd)).create();
    }
    operator = new KubernetesClientBuilder().withConfig(new ConfigBuilder(admin.getConfiguration()).withUserAgent(AGENT).build()).build();
    outputs = new ClusterJobOutputs(FileArtifactStore.open(temp.resolve("artifacts"), ArtifactLimits.DEFAULT),
        temp.resolve("outputs").toString(), Map.of());
  }

  @AfterEach
  void stop() {
    operator.close();
    admin.close();
    server.destroy();
  }

  @Test
  void aSucceededJobsOutputBecomesOneReadyVersionWithLineage() throws Exception {
    admin.resource(Manifests.json().convertValue(Map.of("metadata", Map.of("namespace", "ml", "name", "base"),
        "spec", Map.of("aliases", Map.of("production", 4))), Model.class)).create();
    TrainingJob job = succeededJob("train-iris", Map.of("model", "iris", "path", "model"),
        List.of("s3://datasets/iris/", "models:/base@production", "models:/base/9"));
    assertEquals(Map.of(ClusterJobOutputs.ENV, outputs.outputUri(job)), outputs.location(job));
    assertTrue(outputs.outputUri(job).endsWith("/ml/train-iris/" + job.getMetadata().getUid()));
    Path written = Files.createDirectories(Path.of(outputs.outputUri(job), "model"));
    Files.writeString(written.resolve("model.onnx"), "trained");
    Files.writeString(written.getParent().resolve("train.log"), "not part of the model");

    ModelVersion v = outputs.ensureRegistered(operator, job).orElseThrow();
    assertEquals("iris-1", v.getMetadata().getName());
    assertEquals("READY", v.getStatus().getState(), v.getStatus().getMessage());
    assertEquals(List.of("model.onnx"), v.getStatus().getFiles().stream().map(f -> f.path()).toList());
    assertEquals("onnx", v.getStatus().getFormat());
    var lineage = v.getSpec().getLineage();
    assertEquals(job.getMetadata().getUid(), lineage.job().uid());
    assertEquals(JobLineage.specSha256(job), lineage.job().specSha256());
    assertEquals("0.97", lineage.metrics().get("accuracy"));
    assertEquals(0.97, v.getSpec().getMetrics().get("accuracy"));
    assertEquals("2026-11-29T10:00:00Z", lineage.startTime());
    assertEquals("base", lineage.parent().model());
    assertEquals(4, lineage.parent().version());
    assertEquals("not hashed: read by the job's pods", lineage.inputs().get(0).note());
    assertEquals("not found when the job succeeded", lineage.inputs().get(2).note());
    assertEquals(1, admin.resources(Model.class).inNamespace("ml").withName("iris").get().getStatus().getLatestVersion());

    TrainingJob annotated = admin.resources(TrainingJob.class).inNamespace("ml").withName("train-iris").get();
    assertEquals("iris-1", annotated.getMetadata().getAnnotations().get(ClusterJobOutputs.REGISTERED_AS));
    assertEquals(Optional.empty(), outputs.ensureRegistered(operator, annotated), "a registered job is left alone");
    // an operator that stopped after making the version and before annotating the job finds the version by its label
    assertEquals("iris-1", outputs.ensureRegistered(operator, job).orElseThrow().getMetadata().getName());
    assertEquals(List.of("iris-1"), admin.resources(ModelVersion.class).inNamespace("ml").list().getItems().stream()
        .map(m -> m.getMetadata().getName()).toList(), "exactly one version");

    Set<String> missing = new TreeSet<>(RbacRules.needed(recorder.requests().stream().filter(r -> AGENT.equals(r.userAgent())).toList()));
    missing.removeAll(RbacRules.granted(RbacRules.committed()));
    assertEquals(Set.of(), missing, "every call the operator made is granted by deploy/rbac.yaml");
    Set<String> unused = new TreeSet<>(RbacRules.REGISTRY);
    unused.removeAll(RbacRules.needed(recorder.requests().stream().filter(r -> AGENT.equals(r.userAgent())).toList()));
    assertEquals(Set.of(), unused, "every grant kept for registration is needed");
  }

  @Test
  void aJobThatWroteNothingFailsItsRegistrationWithTheReasonAndANumberIsNeverGivenTwice() {
    TrainingJob job = succeededJob("train-nothing", Map.of("model", "iris"), List.of());
    ModelVersion v = outputs.ensureRegistered(operator, job).orElseThrow();
    assertEquals("FAILED_REGISTRATION", v.getStatus().getState());
    assertTrue(v.getStatus().getMessage().contains(outputs.outputUri(job)), v.getStatus().getMessage());
    TrainingJob running = succeededJob("train-running", Map.of("model", "iris"), List.of());
    running.getStatus().setState("Running");
    assertEquals(Optional.empty(), outputs.ensureRegistered(operator, running), "only a Succeeded job registers");
  }

  private TrainingJob succeededJob(String name, Map<String, Object> output, List<String> inputs) {
    TrainingJob job = Manifests.json().convertValue(Map.of("apiVersion", "capstan.dev/v1alpha1", "kind", "TrainingJob",
        "metadata", Map.of("namespace", "ml", "name", name),
        "spec", Map.of("framework", "pytorch", "output", output, "inputs", inputs,
            "replicas", Map.of("master", Map.of("template", Map.of("spec", Map.of("containers",
                List.of(Map.of("name", "pytorch", "image", "trainer:1", "command", List.of("python3", "train.py"))))))))),
        TrainingJob.class);
    TrainingJob created = admin.resource(job).create();
    created.setStatus(Manifests.json().convertValue(Map.of("state", "Succeeded", "metrics", Map.of("accuracy", "0.97"),
        "startTime", "2026-11-29T10:00:00Z", "completionTime", "2026-11-29T10:05:00Z"), dev.capstan.api.training.TrainingJobStatus.class));
    return admin.resource(created).updateStatus();
  }
}
