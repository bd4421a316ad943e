package dev.capstan.api.kubeflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.codec.Manifests;
import dev.capstan.api.training.TrainingJob;
import dev.capstan.api.training.TrainingJobModel;
import dev.capstan.api.validation.FieldError;
import dev.capstan.api.validation.InvalidSpecException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Each kind's manifest (written in the shape of the training operator's examples) against its expected TrainingJob. */
class KubeflowJobsTest {

  @ParameterizedTest
  @ValueSource(strings = {"pytorchjob", "tfjob", "xgboostjob", "jaxjob", "paddlejob", "mxjob"})
  void eachKindConvertsToTheExpectedTrainingJob(String name) {
    ObjectNode manifest = yaml(name + ".yaml");
    ConvertedJob converted = KubeflowJobs.convert(manifest);
    assertEquals(yaml(name + ".expected.yaml"), converted.trainingJob());
    TrainingJob job = KubeflowJobs.toTrainingJob(manifest);
    TrainingJobModel model = TrainingJobModel.from(job);
    assertEquals(converted.kind().framework(), model.framework().wire());
    assertEquals(converted.kind(), KubeflowJobs.sourceKind(job).orElseThrow());
  }

  @Test
  void theDispatchInTheCodecRunsKubeflowKindsAsTrainingJobs() {
    TrainingJob job = (TrainingJob) Manifests.toResource(yaml("pytorchjob.yaml"));
    assertEquals(2, job.getSpec().getReplicas().get("Worker").getCount());
    assertEquals("PyTorchJob", job.getMetadata().getAnnotations().get(KubeflowJobs.SOURCE_KIND));
    assertEquals("kubeflow.org/v1", job.getMetadata().getAnnotations().get(KubeflowJobs.SOURCE_API_VERSION));
  }

  @Test
  void acceptedFieldsCapstanDoesNotActOnAreNotedByPath() {
    assertEquals(List.of("spec.runPolicy.schedulingPolicy.minResources", "spec.runPolicy.schedulingPolicy.priorityClass",
            "spec.runPolicy.schedulingPolicy.scheduleTimeoutSeconds"),
        KubeflowJobs.convert(yaml("xgboostjob.yaml")).notes().stream().map(FieldNote::path).toList());
    assertEquals(List.of(), KubeflowJobs.convert(yaml("jaxjob.yaml")).notes());
  }

  @Test
  void theOneLineSaysWhatTheJobRunsAs() {
    assertEquals("PyTorchJob kubeflow/mnist-gloo: running as TrainingJob kubeflow/mnist-gloo (kubeflow.org/v1 accepted as is)",
        KubeflowJobs.convert(yaml("pytorchjob.yaml")).summary());
  }

  /** Errors found by Capstan's codec and validator name the field as the Kubeflow manifest spells it. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "pytorchReplicaSpecs.Worker.replicas | -1 | spec.pytorchReplicaSpecs.Worker.replicas",
      "pytorchReplicaSpecs.Worker.replicas | 100000 | spec.pytorchReplicaSpecs.Worker.replicas",
      "pytorchReplicaSpecs.Worker.replicas | two | spec.pytorchReplicaSpecs.Worker.replicas",
      "pytorchReplicaSpecs.Master.replicas | 2 | spec.pytorchReplicaSpecs.Master.replicas",
      "pytorchReplicaSpecs.Worker.restartPolicy | Sometimes | spec.pytorchReplicaSpecs.Worker.restartPolicy",
      "pytorchReplicaSpecs.Worker.template.spec.containers[0].comand | [x] | spec.pytorchReplicaSpecs.Worker.template.spec.containers[0].comand",
      "pytorchReplicaSpecs.Worker.replica | 1 | spec.pytorchReplicaSpecs.Worker.replica",
      "pytorchReplicaSpecs.Chief | {} | spec.pytorchReplicaSpecs.Chief",
      "nprocPerNode | lots | spec.nprocPerNode",
      "runPolicy.backoffLimit | -1 | spec.runPolicy.backoffLimit",
      "runPolicy.cleanPodPolicy | Sometimes | spec.runPolicy.cleanPodPolicy",
      "runPolicy.restartScope | Gang | spec.runPolicy.restartScope",
      "elasticPolicy.nProcPerNode | 2 | spec.elasticPolicy.nProcPerNode",
      "elasticPolicy.rdzvPort | 70000 | spec.elasticPolicy.rdzvPort",
      "elasticPolicy.metrics | [] | spec.elasticPolicy.metrics",
      "tfReplicaSpecs | {} | spec.tfReplicaSpecs",
      "framework | pytorch | spec.framework",
      "replicas | {} | spec.replicas",
  })
  void badFieldsAreReportedAtTheirKubeflowPath(String field, String value, String path) {
    ObjectNode manifest = yaml("pytorchjob.yaml");
    set(manifest.with("spec"), field, Manifests.parseDocuments("v: " + value, "test").get(0).get("v"));
    assertHasErrorAt(path, () -> KubeflowJobs.toTrainingJob(manifest));
  }

  @Test
  void aNumberPastInfinityIsReportedAtItsKubeflowPath() {
    ObjectNode manifest = yaml("pytorchjob.yaml");
    set(manifest.with("spec"), "runPolicy.activeDeadlineSeconds", Manifests.json().getNodeFactory().numberNode(Double.POSITIVE_INFINITY));
    assertHasErrorAt("spec.runPolicy.activeDeadlineSeconds", () -> KubeflowJobs.toTrainingJob(manifest));
  }

  @Test
  void anotherApiVersionIsRefused() {
    ObjectNode manifest = yaml("pytorchjob.yaml");
    manifest.put("apiVersion", "kubeflow.org/v2beta1");
    assertEquals("apiVersion: must be kubeflow.org/v1 for a PyTorchJob (is 'kubeflow.org/v2beta1')",
        assertThrows(InvalidSpecException.class, () -> Manifests.toResource(manifest)).getMessage());
    assertFalse(KubeflowJobs.isKubeflowKind("kubeflow.org/v2beta1", "PyTorchJob"));
    assertTrue(KubeflowJobs.isKubeflowKind("kubeflow.org/v1", "PyTorchJob"));
    assertFalse(KubeflowJobs.isKubeflowKind("kubeflow.org/v1", "MPIJob"));
  }

  @Test
  void elasticPyTorchJobsNeedAWorkerGroupAsKubeflowSays() {
    ObjectNode manifest = yaml("pytorchjob.yaml");
    ((ObjectNode) manifest.path("spec").path("pytorchReplicaSpecs")).remove("Worker");
    assertEquals("spec.pytorchReplicaSpecs.Worker: must be configured if elastic policy is used",
        assertThrows(InvalidSpecException.class, () -> KubeflowJobs.convert(manifest)).getMessage());
  }

  @Test
  void theInputManifestIsLeftAsItWas() {
    ObjectNode manifest = yaml("pytorchjob.yaml");
    ObjectNode before = manifest.deepCopy();
    KubeflowJobs.toTrainingJob(manifest);
    assertEquals(before, manifest);
  }

  static void assertHasErrorAt(String path, Runnable conversion) {
    InvalidSpecException e = assertThrows(InvalidSpecException.class, conversion::run);
    assertTrue(e.errors().stream().map(FieldError::path).anyMatch(path::equals), () -> "no error at " + path + " in: " + e.getMessage());
  }

  /** Sets a dotted path (a trailing {@code [0]} on a segment indexes an array) under a node. */
  static void set(ObjectNode root, String dotted, JsonNode value) {
    String[] segments = dotted.split("\\.");
    JsonNode node = root;
    for (int i = 0; i < segments.length - 1; i++) {
      node = child(node, segments[i]);
    }
    ((ObjectNode) node).set(segments[segments.length - 1], value);
  }

  private static JsonNode child(JsonNode node, String segment) {
    int bracket = segment.indexOf('[');
    if (bracket < 0) {
      return ((ObjectNode) node).with(segment);
    }
    JsonNode array = node.path(segment.substring(0, bracket));
    return array.get(Integer.parseInt(segment.substring(bracket + 1, segment.length() - 1)));
  }

  static ObjectNode yaml(String resource) {
    try (InputStream in = KubeflowJobsTest.class.getResourceAsStream("/kubeflow/" + resource)) {
      return Manifests.parseDocuments(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource).get(0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
