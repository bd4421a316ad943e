package dev.capstan.kubernetes.kubeflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.codec.Manifests;
import dev.capstan.api.kubeflow.KubeflowKind;
import dev.capstan.api.training.ReplicaStatus;
import dev.capstan.api.training.TrainingJobStatus;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A Kubeflow job's status in the training operator's shape (v1.9 {@code JobStatus}), derived from
 * the TrainingJob status core's controller records: a pure function.
 *
 * <ul>
 *   <li>{@code conditions}: Created, Running, Restarting, Succeeded, Failed and Suspended, each with
 *       {@code status}, {@code reason} as Kubeflow words it ({@code PyTorchJobRunning}; an invalid
 *       spec is {@code PyTorchJobFailedValidation}), {@code message}, {@code lastUpdateTime} and
 *       {@code lastTransitionTime}; ordered by transition time, so the last one is the latest, as
 *       Kubeflow's printer column reads it. Capstan's other conditions (Queued, Admitted, Stalled)
 *       stay under {@code capstan}.</li>
 *   <li>{@code replicaStatuses}: keyed by the replica type as the manifest spells it
 *       ({@code Master}, {@code Worker}), with {@code active}, {@code succeeded}, {@code failed}
 *       (omitted when zero, as Kubeflow's omitempty does) and {@code selector}, the label selector of
 *       the type's pods as Kubeflow 1.9 formats it.</li>
 *   <li>{@code startTime}, {@code completionTime}, and {@code lastReconcileTime}: the time of the
 *       pass that wrote this status.</li>
 *   <li>{@code capstan}: the TrainingJob status itself, which the next pass plans on.</li>
 * </ul>
 */
public final class KubeflowStatus {
  /** Under {@code status}: Capstan's own record of the job. */
  public static final String CAPSTAN = "capstan";
  static final Set<String> KUBEFLOW_CONDITIONS = Set.of("Created", "Running", "Restarting", "Succeeded", "Failed", "Suspended");

  private KubeflowStatus() {}

  /**
   * {@code replicaTypes}: the keys of the manifest's replica specs; {@code operatorName} the value of
   * the {@code training.kubeflow.org/operator-name} label on the job's pods.
   */
  public static ObjectNode of(KubeflowKind kind, String jobName, List<String> replicaTypes, String operatorName,
      TrainingJobStatus status, String now) {
    ObjectNode out = Manifests.json().createObjectNode();
    var conditions = out.putArray("conditions");
    status.getConditions().stream()
        .filter(c -> KUBEFLOW_CONDITIONS.contains(c.getType()))
        .sorted(Comparator.comparing(c -> c.getLastTransitionTime() == null ? "" : c.getLastTransitionTime()))
        .forEach(c -> conditions.add(condition(kind, c)));
    ObjectNode replicas = out.putObject("replicaStatuses");
    for (String type : replicaTypes) {
      ReplicaStatus counts = replicaStatus(status.getReplicaStatuses(), type);
      ObjectNode r = replicas.putObject(type);
      putIfPositive(r, "active", counts == null ? 0 : counts.getActive());
      putIfPositive(r, "succeeded", counts == null ? 0 : counts.getSucceeded());
      putIfPositive(r, "failed", counts == null ? 0 : counts.getFailed());
      r.put("selector", selector(jobName, type, operatorName));
    }
    putIfSet(out, "startTime", status.getStartTime());
    putIfSet(out, "completionTime", status.getCompletionTime());
    out.put("lastReconcileTime", now);
    out.set(CAPSTAN, Manifests.json().valueToTree(status));
    return out;
  }

  /** The TrainingJob status a Kubeflow job's status records, or null before the first pass. */
  public static TrainingJobStatus capstanStatus(JsonNode kubeflowStatus) {
    JsonNode recorded = kubeflowStatus == null ? null : kubeflowStatus.get(CAPSTAN);
    return recorded == null || !recorded.isObject() ? null : Manifests.json().convertValue(recorded, TrainingJobStatus.class);
  }

  private static ObjectNode condition(KubeflowKind kind, Condition c) {
    ObjectNode out = Manifests.json().createObjectNode();
    out.put("type", c.getType());
    out.put("status", c.getStatus());
    out.put("reason", kind.kind() + reasonSuffix(c));
    putIfSet(out, "message", c.getMessage());
    putIfSet(out, "lastUpdateTime", c.getLastTransitionTime());
    putIfSet(out, "lastTransitionTime", c.getLastTransitionTime());
    return out;
  }

  /** Kubeflow's reasons are the kind followed by one word (util/status.go); Capstan's finer reason stays in capstan. */
  private static String reasonSuffix(Condition c) {
    if ("InvalidSpec".equals(c.getReason())) {
      return "FailedValidation";
    }
    if ("Suspended".equals(c.getType()) && "False".equals(c.getStatus())) {
      return "Resumed";
    }
    return c.getType();
  }

  /** As Kubeflow 1.9's GenLabelSelector then FormatLabelSelector: operator, job and lowercased type, sorted by key. */
  static String selector(String jobName, String replicaType, String operatorName) {
    Map<String, String> labels = new TreeMap<>(Map.of(
        "training.kubeflow.org/operator-name", operatorName,
        "training.kubeflow.org/job-name", jobName,
        "training.kubeflow.org/replica-type", replicaType.toLowerCase(Locale.ROOT)));
    StringBuilder out = new StringBuilder();
    labels.forEach((k, v) -> out.append(out.isEmpty() ? "" : ",").append(k).append('=').append(v));
    return out.toString();
  }

  /** Capstan keys replica statuses by lowercase role; the manifest spells the type as it likes. */
  private static ReplicaStatus replicaStatus(Map<String, ReplicaStatus> statuses, String type) {
    return statuses == null ? null : statuses.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(type))
        .map(Map.Entry::getValue).findFirst().orElse(null);
  }

  private static void putIfPositive(ObjectNode node, String field, int value) {
    if (value > 0) {
      node.put(field, value);
    }
  }

  private static void putIfSet(ObjectNode node, String field, String value) {
    if (value != null) {
      node.put(field, value);
    }
  }
}
