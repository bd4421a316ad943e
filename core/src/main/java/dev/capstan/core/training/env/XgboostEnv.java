package dev.capstan.core.training.env;

import dev.capstan.api.training.ReplicaId;
import dev.capstan.api.training.TrainingJobModel;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * XGBoost's Rabit tracker variables (master is the tracker) and LightGBM's machine list, as v1.9
 * {@code xgboost/xgboost.go} SetPodEnv sets them: WORKER_PORT and WORKER_ADDRS only when the job has
 * more than one replica, WORKER_ADDRS naming {@code worker-0 … worker-(n-2)} for n replicas.
 */
final class XgboostEnv {
  private XgboostEnv() {}

  static void fill(Map<String, String> env, TrainingJobModel job, ReplicaId id, ReplicaAddressing at) {
    ReplicaId master = job.rankZero();
    env.put("MASTER_PORT", Integer.toString(at.port(master)));
    env.put("MASTER_ADDR", at.host(master));
    env.put("WORLD_SIZE", Integer.toString(job.totalReplicas()));
    env.put("RANK", Integer.toString(EnvContract.rank(job, id)));
    int total = job.totalReplicas();
    if (total > 1) {
      env.put("WORKER_PORT", Integer.toString(at.port(new ReplicaId("worker", 0))));
      env.put("WORKER_ADDRS", IntStream.range(0, total - 1)
          .mapToObj(i -> at.host(new ReplicaId("worker", i))).collect(Collectors.joining(",")));
    }
  }
}
