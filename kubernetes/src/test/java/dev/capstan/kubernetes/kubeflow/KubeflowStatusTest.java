package dev.capstan.kubernetes.kubeflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.api.kubeflow.KubeflowKind;
import dev.capstan.api.training.ReplicaStatus;
import dev.capstan.api.training.TrainingJobStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Kubeflow's status shape from a TrainingJob status: a pure function, checked without a cluster. */
class KubeflowStatusTest {
  static Condition condition(String type, String status, String reason, String at) {
    return new Condition(at, type + " message", 1L, reason, status, type);
  }

  @Test
  void conditionsAreKubeflowsTypesWithKubeflowsReasonsLatestLast() {
    TrainingJobStatus status = new TrainingJobStatus();
    status.setConditions(new ArrayList<>(List.of(
        condition("Created", "True", "JobCreated", "2025-01-01T00:00:00Z"),
        condition("Failed", "True", "InvalidSpec", "2025-01-01T00:00:03Z"),
        condition("Admitted", "True", "Admitted", "2025-01-01T00:00:01Z"),
        condition("Restarting", "False", "GangRestart", "2025-01-01T00:00:02Z"),
        condition("Suspended", "False", "JobResumed", "2025-01-01T00:00:01Z"))));
    JsonNode out = KubeflowStatus.of(KubeflowKind.TF_JOB, "census", List.of("Chief"), "tfjob-controller", status, "2025-01-01T00:00:04Z");
    List<String> seen = new ArrayList<>();
    out.path("conditions").forEach(c -> seen.add(c.path("type").asText() + "/" + c.path("status").asText() + "/" + c.path("reason").asText()));
    assertEquals(List.of("Created/True/TFJobCreated", "Suspended/False/TFJobResumed", "Restarting/False/TFJobRestarting",
        "Failed/True/TFJobFailedValidation"), seen);
    assertEquals("2025-01-01T00:00:03Z", out.path("conditions").get(3).path("lastUpdateTime").asText());
    assertEquals("2025-01-01T00:00:04Z", out.path("lastReconcileTime").asText());
    assertEquals("Admitted", out.path("capstan").path("conditions").get(2).path("type").asText(), "Capstan's own record is kept whole");
  }

  @Test
  void replicaStatusesAreKeyedAsTheManifestSpellsThemWithZerosOmittedAndTheSelector() {
    TrainingJobStatus status = new TrainingJobStatus();
    ReplicaStatus workers = new ReplicaStatus();
    workers.setActive(2);
    workers.setFailed(1);
    status.setReplicaStatuses(Map.of("worker", workers));
    JsonNode out = KubeflowStatus.of(KubeflowKind.PYTORCH_JOB, "mnist", List.of("Master", "Worker"), "pytorchjob-controller",
        status, "2025-01-01T00:00:00Z");
    JsonNode worker = out.path("replicaStatuses").path("Worker");
    assertEquals(2, worker.path("active").asInt());
    assertEquals(1, worker.path("failed").asInt());
    assertFalse(worker.has("succeeded"), "omitted when zero, as Kubeflow's omitempty");
    assertEquals("training.kubeflow.org/job-name=mnist,training.kubeflow.org/operator-name=pytorchjob-controller,"
        + "training.kubeflow.org/replica-type=master", out.path("replicaStatuses").path("Master").path("selector").asText());
    assertFalse(out.path("replicaStatuses").path("Master").has("active"));
    assertFalse(out.has("startTime"));
  }
}
