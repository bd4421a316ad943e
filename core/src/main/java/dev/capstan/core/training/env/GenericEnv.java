package dev.capstan.core.training.env;

import dev.capstan.api.training.ReplicaId;
import dev.capstan.api.training.TrainingJobModel;
import java.util.Map;

/** Generic jobs get the plain rendezvous variables most launchers understand. */
final class GenericEnv {
  private GenericEnv() {}

  static void fill(Map<String, String> env, TrainingJobModel job, ReplicaId id, ReplicaAddressing at) {
    ReplicaId first = job.rankZero();
    env.put("MASTER_ADDR", at.host(first));
    env.put("MASTER_PORT", Integer.toString(at.port(first)));
    env.put("WORLD_SIZE", Integer.toString(job.totalReplicas() * job.procsPerNode()));
    env.put("RANK", Integer.toString(EnvContract.rank(job, id)));
  }
}
