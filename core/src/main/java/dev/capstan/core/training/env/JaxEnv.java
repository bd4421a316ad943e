package dev.capstan.core.training.env;

import dev.capstan.api.training.ReplicaId;
import dev.capstan.api.training.TrainingJobModel;
import java.util.Map;

/** jax.distributed.initialize() variables, as v1.9 {@code jax/envvar.go} sets them: worker-0 coordinates. */
final class JaxEnv {
  private JaxEnv() {}

  static void fill(Map<String, String> env, TrainingJobModel job, ReplicaId id, ReplicaAddressing at) {
    ReplicaId coordinator = job.rankZero();
    env.put("COORDINATOR_PORT", Integer.toString(at.port(coordinator)));
    env.put("COORDINATOR_ADDRESS", at.host(coordinator));
    env.put("NUM_PROCESSES", Integer.toString(job.totalReplicas()));
    env.put("PROCESS_ID", Integer.toString(EnvContract.rank(job, id)));
  }
}
