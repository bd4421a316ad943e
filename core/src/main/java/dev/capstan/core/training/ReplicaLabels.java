package dev.capstan.core.training;

import dev.capstan.api.training.ReplicaId;
import dev.capstan.api.training.TrainingJobModel;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The labels every replica carries: the training operator's ({@code GenLabels} and
 * {@code createNewPod} of v1.9 {@code common/pod.go}), plus Capstan's own.
 */
public final class ReplicaLabels {
  public static final String OPERATOR_NAME = "training.kubeflow.org/operator-name";
  public static final String JOB_NAME = "training.kubeflow.org/job-name";
  public static final String REPLICA_TYPE = "training.kubeflow.org/replica-type";
  public static final String REPLICA_INDEX = "training.kubeflow.org/replica-index";
  public static final String JOB_ROLE = "training.kubeflow.org/job-role";
  public static final String CAPSTAN_JOB = "capstan.dev/trainingjob";
  public static final String CAPSTAN_ATTEMPT = "capstan.dev/attempt";

  private ReplicaLabels() {}

  public static Map<String, String> of(TrainingJobModel job, ReplicaId id, int attempt) {
    Map<String, String> labels = selector(job, id);
    if (masterRole(job, id)) {
      labels.put(JOB_ROLE, "master");
    }
    labels.put(CAPSTAN_JOB, job.name());
    labels.put(CAPSTAN_ATTEMPT, Integer.toString(attempt));
    return labels;
  }

  /** What selects one replica's pod (its service's selector and labels): operator, job, type, index. */
  public static Map<String, String> selector(TrainingJobModel job, ReplicaId id) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(OPERATOR_NAME, job.framework().operatorName());
    labels.put(JOB_NAME, job.name());
    labels.put(REPLICA_TYPE, id.role());
    labels.put(REPLICA_INDEX, Integer.toString(id.index()));
    return labels;
  }

  /**
   * Whether the replica gets {@code job-role: master}, as each controller's IsMasterRole decides:
   * XGBoost and Paddle every master, MXNet every server (v1.7), JAX index 0, PyTorch and TensorFlow
   * the master or chief, else worker-0; generic jobs their rank-0 replica.
   */
  static boolean masterRole(TrainingJobModel job, ReplicaId id) {
    return switch (job.framework()) {
      case XGBOOST, PADDLE -> id.role().equals("master");
      case MXNET -> id.role().equals("server");
      case JAX -> id.index() == 0;
      case TENSORFLOW -> job.group("chief").isPresent() || job.group("master").isPresent()
          ? id.role().equals("chief") || id.role().equals("master")
          : id.role().equals("worker") && id.index() == 0;
      case PYTORCH -> job.group("master").isPresent() ? id.role().equals("master") : id.equals(new ReplicaId("worker", 0));
      case GENERIC -> id.equals(job.rankZero());
    };
  }
}
