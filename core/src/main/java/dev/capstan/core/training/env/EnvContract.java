package dev.capstan.core.training.env;

import dev.capstan.api.training.ReplicaId;
import dev.capstan.api.training.TrainingJobModel;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The environment each replica receives, exactly as the framework's launcher expects it
 * (CONTRACTS.md) and as the Kubeflow training operator sets it (v1.9 {@code envvar.go},
 * {@code tensorflow.go}, {@code xgboost.go}; v1.7 {@code mxnet.go}), plus Capstan's own
 * {@code CAPSTAN_*} variables beside them. A pod gets it on every container (TF_CONFIG only on the
 * main one, as the operator's SetClusterSpec does).
 */
public final class EnvContract {
  /**
   * A variable whose value is the replica's own IP. Paddle's rendezvous replica names itself with
   * {@code $(POD_IP_DUMMY)}; a cluster fills it from {@code status.podIP}, one machine with
   * 127.0.0.1 ({@link ReplicaAddressing#podIp()}).
   */
  public static final String POD_IP = "POD_IP_DUMMY";
  /** The variable only the framework's main container receives (TensorFlow's cluster spec). */
  public static final String MAIN_CONTAINER_ONLY = "TF_CONFIG";

  private EnvContract() {}

  public static Map<String, String> forReplica(TrainingJobModel job, ReplicaId id, ReplicaAddressing at, int attempt) {
    Map<String, String> env = new LinkedHashMap<>();
    switch (job.framework()) {
      case PYTORCH -> PyTorchEnv.fill(env, job, id, at);
      case TENSORFLOW -> TensorFlowEnv.fill(env, job, id, at);
      case MXNET -> MxnetEnv.fill(env, job, id, at);
      case JAX -> JaxEnv.fill(env, job, id, at);
      case XGBOOST -> XgboostEnv.fill(env, job, id, at);
      case PADDLE -> PaddleEnv.fill(env, job, id, at);
      case GENERIC -> GenericEnv.fill(env, job, id, at);
    }
    env.put("PYTHONUNBUFFERED", "1");
    env.put("CAPSTAN_JOB_NAME", job.name());
    env.put("CAPSTAN_JOB_NAMESPACE", job.namespace());
    env.put("CAPSTAN_REPLICA_ROLE", id.role());
    env.put("CAPSTAN_REPLICA_INDEX", Integer.toString(id.index()));
    env.put("CAPSTAN_ATTEMPT", Integer.toString(attempt));
    return env;
  }

  /** Rank in job order: roles in the framework's rank order, then index (master 0, worker i → i+1). */
  static int rank(TrainingJobModel job, ReplicaId id) {
    return job.replicas().indexOf(id);
  }
}
