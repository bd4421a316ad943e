package dev.capstan.core.training.env;

import dev.capstan.api.training.ReplicaGroup;
import dev.capstan.api.training.ReplicaId;
import dev.capstan.api.training.TrainingJobModel;
import java.util.Map;
import java.util.stream.Collectors;

/** XGBoost's Rabit tracker variables: master is the tracker, workers listed in WORKER_ADDRS. */
final class XgboostEnv {
  private XgboostEnv() {}

  static void fill(Map<String, String> env, TrainingJobModel job, ReplicaId id, ReplicaAddressing at) {
    ReplicaId master = job.rankZero();
    env.put("MASTER_ADDR", at.host(master));
    env.put("MASTER_PORT", Integer.toString(at.port(master)));
    env.put("WORLD_SIZE", Integer.toString(job.totalReplicas()));
    env.put("RANK", Integer.toString(EnvContract.rank(job, id)));
    env.put("WORKER_PORT", Integer.toString(at.port(id)));
    String workers = job.group("worker").map(ReplicaGroup::replicas).orElse(java.util.List.of()).stream()
        .map(at::host).collect(Collectors.joining(","));
    env.put("WORKER_ADDRS", workers);
  }
}
