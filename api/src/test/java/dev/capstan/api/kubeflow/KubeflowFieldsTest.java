package dev.capstan.api.kubeflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.codec.Manifests;
import dev.capstan.api.validation.InvalidSpecException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every field of the {@code kubeflow.org/v1} types, as the training operator's Go source declares
 * them (v1.9 {@code common_types.go}, {@code pytorch_types.go}, {@code tensorflow_types.go},
 * {@code xgboost_types.go}, {@code jax_types.go}, {@code paddlepaddle_types.go}; v1.7
 * {@code mxnet_types.go}), is honoured or refused with its name: none unknown, none invented, none
 * dropped without a note.
 */
class KubeflowFieldsTest {
  private static final List<String> COMMON = List.of("apiVersion", "kind", "metadata", "spec", "status",
      "spec.{replicaSpecs}", "spec.{replicaSpecs}.{role}", "spec.{replicaSpecs}.{role}.replicas",
      "spec.{replicaSpecs}.{role}.template", "spec.{replicaSpecs}.{role}.restartPolicy",
      "spec.runPolicy", "spec.runPolicy.cleanPodPolicy", "spec.runPolicy.ttlSecondsAfterFinished",
      "spec.runPolicy.activeDeadlineSeconds", "spec.runPolicy.backoffLimit", "spec.runPolicy.suspend",
      "spec.runPolicy.schedulingPolicy", "spec.runPolicy.schedulingPolicy.minAvailable",
      "spec.runPolicy.schedulingPolicy.queue", "spec.runPolicy.schedulingPolicy.minResources",
      "spec.runPolicy.schedulingPolicy.priorityClass", "spec.runPolicy.schedulingPolicy.scheduleTimeoutSeconds");
  /** RunPolicy.ManagedBy came after v1.7. */
  private static final List<String> V19 = List.of("spec.runPolicy.managedBy");
  private static final Map<KubeflowKind, List<String>> OWN = Map.of(
      KubeflowKind.PYTORCH_JOB, List.of("spec.nprocPerNode", "spec.elasticPolicy", "spec.elasticPolicy.minReplicas",
          "spec.elasticPolicy.maxReplicas", "spec.elasticPolicy.rdzvBackend", "spec.elasticPolicy.rdzvPort",
          "spec.elasticPolicy.rdzvHost", "spec.elasticPolicy.rdzvId", "spec.elasticPolicy.rdzvConf",
          "spec.elasticPolicy.standalone", "spec.elasticPolicy.nProcPerNode", "spec.elasticPolicy.maxRestarts",
          "spec.elasticPolicy.metrics"),
      KubeflowKind.TF_JOB, List.of("spec.successPolicy", "spec.enableDynamicWorker"),
      KubeflowKind.XGBOOST_JOB, List.of(),
      KubeflowKind.JAX_JOB, List.of(),
      KubeflowKind.PADDLE_JOB, List.of("spec.elasticPolicy", "spec.elasticPolicy.minReplicas",
          "spec.elasticPolicy.maxReplicas", "spec.elasticPolicy.maxRestarts", "spec.elasticPolicy.metrics"),
      KubeflowKind.MX_JOB, List.of("spec.jobMode"));

  /** A value for each field; fields with values Capstan refuses get one of each. */
  private static final Map<String, List<String>> SAMPLES = new LinkedHashMap<>();

  static {
    SAMPLES.put("status", List.of("{conditions: []}"));
    SAMPLES.put("spec.{replicaSpecs}.{role}.replicas", List.of("1"));
    SAMPLES.put("spec.{replicaSpecs}.{role}.restartPolicy", List.of("OnFailure"));
    SAMPLES.put("spec.runPolicy.cleanPodPolicy", List.of("All", "''"));
    SAMPLES.put("spec.runPolicy.ttlSecondsAfterFinished", List.of("60"));
    SAMPLES.put("spec.runPolicy.activeDeadlineSeconds", List.of("600"));
    SAMPLES.put("spec.runPolicy.backoffLimit", List.of("2"));
    SAMPLES.put("spec.runPolicy.suspend", List.of("false"));
    SAMPLES.put("spec.runPolicy.managedBy", List.of("kubeflow.org/training-operator", "kueue.x-k8s.io/multikueue"));
    SAMPLES.put("spec.runPolicy.schedulingPolicy.minAvailable", List.of("1"));
    SAMPLES.put("spec.runPolicy.schedulingPolicy.queue", List.of("research"));
    SAMPLES.put("spec.runPolicy.schedulingPolicy.minResources", List.of("{cpu: '2'}"));
    SAMPLES.put("spec.runPolicy.schedulingPolicy.priorityClass", List.of("high"));
    SAMPLES.put("spec.runPolicy.schedulingPolicy.scheduleTimeoutSeconds", List.of("30"));
    SAMPLES.put("spec.nprocPerNode", List.of("auto", "'2'"));
    SAMPLES.put("spec.elasticPolicy.minReplicas", List.of("1"));
    SAMPLES.put("spec.elasticPolicy.maxReplicas", List.of("1"));
    SAMPLES.put("spec.elasticPolicy.rdzvBackend", List.of("c10d"));
    SAMPLES.put("spec.elasticPolicy.rdzvPort", List.of("29400"));
    SAMPLES.put("spec.elasticPolicy.rdzvHost", List.of("rdzv.example"));
    SAMPLES.put("spec.elasticPolicy.rdzvId", List.of("job-1"));
    SAMPLES.put("spec.elasticPolicy.rdzvConf", List.of("[{key: join_timeout, value: '60'}]"));
    SAMPLES.put("spec.elasticPolicy.standalone", List.of("true", "false"));
    SAMPLES.put("spec.elasticPolicy.nProcPerNode", List.of("1"));
    SAMPLES.put("spec.elasticPolicy.maxRestarts", List.of("3"));
    SAMPLES.put("spec.elasticPolicy.metrics", List.of("[{type: Resource, resource: {name: cpu}}]"));
    SAMPLES.put("spec.successPolicy", List.of("AllWorkers", "''"));
    SAMPLES.put("spec.enableDynamicWorker", List.of("false", "true"));
    SAMPLES.put("spec.jobMode", List.of("MXTrain", "MXTune"));
  }

  @ParameterizedTest
  @EnumSource(KubeflowKind.class)
  void everyFieldOfTheKubeflowTypesHasARuleAndNoOtherDoes(KubeflowKind kind) {
    TreeSet<String> declared = new TreeSet<>(COMMON);
    declared.addAll(OWN.get(kind));
    if (kind != KubeflowKind.MX_JOB) {
      declared.addAll(V19);
    }
    TreeSet<String> ruled = new TreeSet<>();
    KubeflowFields.all().stream().filter(r -> r.kinds().contains(kind)).forEach(r -> ruled.add(r.path()));
    assertEquals(declared, ruled);
  }

  static Stream<Arguments> everySampledField() {
    List<Arguments> out = new ArrayList<>();
    for (FieldRule rule : KubeflowFields.all()) {
      for (KubeflowKind kind : rule.kinds()) {
        for (String sample : SAMPLES.getOrDefault(rule.path(), List.of())) {
          out.add(Arguments.of(kind, rule.path(), sample));
        }
      }
    }
    return out.stream();
  }

  /** Each field set alone on a valid job: honoured or noted ones run, refused ones fail naming the field. */
  @ParameterizedTest(name = "{0} {1}: {2}")
  @MethodSource("everySampledField")
  void eachFieldIsHonouredNotedOrRefusedByName(KubeflowKind kind, String pattern, String sample) {
    ObjectNode manifest = base(kind);
    String path = pattern.replace("{replicaSpecs}", kind.replicaSpecsField()).replace("{role}", "Worker");
    JsonNode value = Manifests.parseDocuments("v: " + sample, "sample").get(0).get("v");
    KubeflowJobsTest.set(manifest, path, value);
    FieldRule rule = KubeflowFields.rule(kind, pattern).orElseThrow();
    if (rule.refuses(value) || refusedAbove(kind, path)) {
      InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> KubeflowJobs.toTrainingJob(manifest));
      assertTrue(e.errors().stream().anyMatch(f -> path.startsWith(f.path()) && f.reason().startsWith("refused: ")),
          () -> "no refusal naming " + path + ": " + e.getMessage());
      return;
    }
    ConvertedJob converted = KubeflowJobs.convert(manifest);
    KubeflowJobs.toTrainingJob(manifest);
    if (rule.treatment() == FieldRule.Treatment.NOTED) {
      assertTrue(converted.notes().stream().anyMatch(n -> n.path().equals(path)), () -> "no note for " + path);
    } else {
      assertTrue(rule.target() != null || rule.treatment() == FieldRule.Treatment.SOME_VALUES_REFUSED,
          () -> path + " is honoured but goes nowhere");
    }
  }

  @Test
  void everyRefusalAndNoteSaysWhy() {
    for (FieldRule rule : KubeflowFields.all()) {
      assertTrue(rule.text() != null && rule.text().length() > 10, () -> rule.path() + " has no explanation");
    }
  }

  @Test
  void docsListTheTableAsItIs() throws IOException {
    String docs = Files.readString(Path.of("../docs/kubeflow.md"));
    assertTrue(docs.contains(KubeflowFields.markdown()), "docs/kubeflow.md must contain KubeflowFields.markdown():\n"
        + KubeflowFields.markdown());
  }

  private static boolean refusedAbove(KubeflowKind kind, String path) {
    int dot = path.lastIndexOf('.');
    while (dot > 0) {
      String parent = path.substring(0, dot);
      if (KubeflowFields.rule(kind, parent).map(r -> r.treatment() == FieldRule.Treatment.REFUSED).orElse(false)) {
        return true;
      }
      dot = parent.lastIndexOf('.');
    }
    return false;
  }

  /** The smallest valid job of each kind: its replica groups, one container each. */
  static ObjectNode base(KubeflowKind kind) {
    List<String> roles = switch (kind) {
      case PYTORCH_JOB, XGBOOST_JOB -> List.of("Master", "Worker");
      case MX_JOB -> List.of("Scheduler", "Server", "Worker");
      default -> List.of("Worker");
    };
    StringBuilder yaml = new StringBuilder("apiVersion: kubeflow.org/v1\nkind: " + kind.kind()
        + "\nmetadata: {name: sample, namespace: fields}\nspec:\n  " + kind.replicaSpecsField() + ":\n");
    for (String role : roles) {
      yaml.append("    ").append(role).append(":\n      replicas: 1\n      template:\n        spec:\n          containers:\n")
          .append("            - {name: ").append(kind.framework()).append(", image: example/train, command: [python3, train.py]}\n");
    }
    return Manifests.parseDocuments(yaml.toString(), kind.kind()).get(0);
  }
}
