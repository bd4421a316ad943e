package dev.capstan.api.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.api.training.TrainingJob;
import dev.capstan.api.validation.FieldError;
import dev.capstan.api.validation.InvalidSpecException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reading manifests: syntax errors with line and column, unknown fields with their path. */
class ManifestsTest {
  private static final String HEADER = "apiVersion: capstan.dev/v1alpha1\nkind: TrainingJob\n";

  @Test
  void yamlSyntaxErrorNamesFileLineAndColumn() {
    String text = HEADER + """
        metadata:
          name: ddp
        spec:
          framework: [pytorch
          replicas: {}
        """;
    ManifestException e = assertThrows(ManifestException.class, () -> Manifests.parseDocuments(text, "job.yaml"));
    assertTrue(e.getMessage().startsWith("job.yaml: line 7, column "), e.getMessage());
  }

  @Test
  void badIndentationNamesItsLine() {
    String text = HEADER + "metadata:\n  name: ddp\n    namespace: x\n";
    ManifestException e = assertThrows(ManifestException.class, () -> Manifests.parseDocuments(text, "job.yaml"));
    assertEquals("job.yaml: line 5, column 14: mapping values are not allowed here", e.getMessage());
  }

  @Test
  void duplicateKeyIsAnError() {
    String text = HEADER + "metadata: {name: a}\nmetadata: {name: b}\n";
    ManifestException e = assertThrows(ManifestException.class, () -> Manifests.parseDocuments(text, "job.yaml"));
    assertEquals("job.yaml: line 4, column 9: Duplicate field 'metadata'", e.getMessage());
  }

  @Test
  void severalDocumentsEmptyOnesSkipped() {
    String text = "---\n" + HEADER + "metadata: {name: a}\n---\n---\n" + HEADER + "metadata: {name: b}\n";
    assertEquals(List.of("a", "b"), Manifests.parseDocuments(text, "jobs.yaml").stream()
        .map(d -> d.path("metadata").path("name").asText()).toList());
  }

  @Test
  void aDocumentThatIsNotAMapping() {
    ManifestException e = assertThrows(ManifestException.class, () -> Manifests.parseDocuments("- a\n- b\n", "x.yaml"));
    assertEquals("x.yaml: document 1 is not a mapping", e.getMessage());
  }

  @Test
  void unknownCapstanFieldIsReportedWithItsPath() {
    assertUnknown("""
        metadata: {name: ddp}
        spec:
          framework: pytorch
          runPolicy: {backofLimit: 3}
        """, "spec.runPolicy.backofLimit");
    assertUnknown("""
        metadata: {name: ddp}
        spec:
          framework: pytorch
          replica: {}
        """, "spec.replica");
    assertUnknown("""
        metdata: {name: ddp}
        spec: {framework: pytorch}
        """, "metdata");
  }

  @Test
  void unknownFieldInsideThePodTemplateIsReportedWithItsPath() {
    assertUnknown("""
        metadata: {name: ddp}
        spec:
          framework: pytorch
          replicas:
            worker:
              count: 2
              template:
                spec:
                  containers:
                  - name: pytorch
                    comand: [python3, train.py]
        """, "spec.replicas.worker.template.spec.containers[0].comand");
    assertUnknown("""
        metadata: {name: ddp, lables: {team: a}}
        spec: {framework: pytorch}
        """, "metadata.lables");
  }

  @Test
  void wrongTypeIsReportedWithItsPath() {
    InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> read("""
        metadata: {name: ddp}
        spec:
          framework: pytorch
          replicas:
            worker: {count: two}
        """));
    assertEquals("spec.replicas.worker.count", e.errors().get(0).path());
    assertTrue(e.errors().get(0).reason().startsWith("wrong type"), e.getMessage());
  }

  @Test
  void unknownKindAndWrongApiVersion() {
    InvalidSpecException kind = assertThrows(InvalidSpecException.class, () -> Manifests.toResource(
        Manifests.parseDocuments("apiVersion: capstan.dev/v1alpha1\nkind: TrainJob\nmetadata: {name: a}\n", "x").get(0)));
    assertEquals(List.of(new FieldError("kind", "unknown kind 'TrainJob' (known: TrainingJob, Model, ModelVersion, InferenceService, Queue, WorkloadPriorityClass, PyTorchJob, TFJob, XGBoostJob, JAXJob, PaddleJob, MXJob)")), kind.errors());

    InvalidSpecException version = assertThrows(InvalidSpecException.class, () -> Manifests.toResource(
        Manifests.parseDocuments("apiVersion: kubeflow.org/v1\nkind: TrainingJob\nmetadata: {name: a}\n", "x").get(0)));
    assertEquals("apiVersion", version.errors().get(0).path());
  }

  @Test
  void kindsAreFoundByWhatUsersType() {
    for (String name : List.of("trainingjobs", "TrainingJob", "trainingjob", "tj")) {
      assertEquals(TrainingJob.class, Kinds.lookup(name).orElseThrow().type(), name);
    }
    assertTrue(Kinds.lookup("pods").isEmpty());
  }

  @Test
  void roundTripKeepsTheManifest() {
    TrainingJob job = read("""
        metadata: {name: ddp, namespace: team-a}
        spec:
          framework: pytorch
          nprocPerNode: 2
          replicas:
            master: {count: 1, restartPolicy: ExitCode, template: {spec: {containers: [{name: pytorch, command: [a]}]}}}
          runPolicy: {backoffLimit: 2, cleanPodPolicy: All}
        """);
    TrainingJob again = (TrainingJob) Manifests.toResource(Manifests.parseDocuments(Manifests.toYaml(job), "again").get(0));
    assertEquals(Manifests.json().valueToTree(job), Manifests.json().valueToTree(again));
    assertEquals(Manifests.json().valueToTree(job), Manifests.json().valueToTree(Manifests.copy(job, TrainingJob.class)));
  }

  private static void assertUnknown(String yaml, String path) {
    InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> read(yaml));
    String leaf = path.substring(path.lastIndexOf('.') + 1);
    assertEquals(List.of(new FieldError(path, "unknown field '" + leaf + "'")), e.errors());
  }

  private static TrainingJob read(String yaml) {
    return (TrainingJob) Manifests.toResource(Manifests.parseDocuments(HEADER + yaml, "test.yaml").get(0));
  }

  @Test
  void aNumberOutOfRangeIsRefusedWithItsPathWhereverItStands() {
    String text = HEADER + """
        metadata: {name: ddp}
        spec:
          framework: pytorch
          replicas:
            worker:
              template:
                spec:
                  containers: [{name: pytorch, command: [a]}]
                  volumes: [{name: scratch, emptyDir: {sizeLimit: 1e400}}]
        """;
    InvalidSpecException e = assertThrows(InvalidSpecException.class,
        () -> Manifests.toResource(Manifests.parseDocuments(text, "job.yaml").get(0)));
    assertEquals(List.of(new FieldError("spec.replicas.worker.template.spec.volumes[0].emptyDir.sizeLimit",
        "must be a finite number within range (is Infinity)")), e.errors());
  }

  @Test
  void jsonInfinityAndFractionalCountsAreRefused() throws Exception {
    var doc = (com.fasterxml.jackson.databind.node.ObjectNode) Manifests.json().readTree("""
        {"apiVersion": "capstan.dev/v1alpha1", "kind": "TrainingJob", "metadata": {"name": "a"},
         "spec": {"framework": "pytorch", "nprocPerNode": 1e400, "replicas": {"worker": {"count": 1.5}}}}
        """);
    InvalidSpecException infinite = assertThrows(InvalidSpecException.class, () -> Manifests.toResource(doc));
    assertEquals("spec.nprocPerNode", infinite.errors().get(0).path());

    doc.with("spec").put("nprocPerNode", 1);
    InvalidSpecException fractional = assertThrows(InvalidSpecException.class, () -> Manifests.toResource(doc));
    assertEquals("spec.replicas.worker.count", fractional.errors().get(0).path());
  }
}
