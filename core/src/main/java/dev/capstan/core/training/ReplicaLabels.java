package dev.capstan.core.training;

import dev.capstan.api.training.ReplicaId;
import dev.capstan.api.training.TrainingJobModel;
import java.util.LinkedHashMap;
import java.util.Map;

/** The Kubeflow-compatible labels every replica carries, plus Capstan's own. */
public final class ReplicaLabels {
  public static final String JOB_NAME = "training.kubeflow.org/job-name";
  public static final String REPLICA_TYPE = "training.kubeflow.org/replica-type";
  public static final String REPLICA_INDEX = "training.kubeflow.org/replica-index";
  public static final String JOB_ROLE = "training.kubeflow.org/job-role";
  public static final String CAPSTAN_JOB = "capstan.dev/trainingjob";
  public static final String CAPSTAN_ATTEMPT = "capstan.dev/attempt";

  private ReplicaLabels() {}

  public static Map<String, String> of(TrainingJobModel job, ReplicaId id, int attempt) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(JOB_NAME, job.name());
    labels.put(REPLICA_TYPE, id.role());
    labels.put(REPLICA_INDEX, Integer.toString(id.index()));
    if (id.equals(job.rankZero())) {
      labels.put(JOB_ROLE, "master");
    }
    labels.put(CAPSTAN_JOB, job.name());
    labels.put(CAPSTAN_ATTEMPT, Integer.toString(attempt));
    return labels;
  }
}
