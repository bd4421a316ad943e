package dev.capstan.core.training.env;

import dev.capstan.api.training.ElasticModel;
import dev.capstan.api.training.ReplicaId;
import dev.capstan.api.training.TrainingJobModel;
import java.util.Map;

/**
 * PyTorch (torchrun / torch.distributed env://) variables as the training operator's
 * {@code pytorch/envvar.go}, {@code master.go} and {@code elastic.go} (v1.9) set them. A job of
 * workers only also gets MASTER_ADDR, RANK and WORLD_SIZE (from worker-0), which the operator leaves
 * out, so that plain {@code env://} jobs without a master rendezvous too.
 */
final class PyTorchEnv {
  private PyTorchEnv() {}

  static void fill(Map<String, String> env, TrainingJobModel job, ReplicaId id, ReplicaAddressing at) {
    ReplicaId master = job.rankZero();
    String addr = at.host(master);
    String port = Integer.toString(at.port(master));
    int rank = EnvContract.rank(job, id);
    env.put("MASTER_PORT", port);
    env.put("PET_MASTER_PORT", port);
    env.put("MASTER_ADDR", addr);
    env.put("PET_MASTER_ADDR", addr);
    env.put("WORLD_SIZE", Integer.toString(job.totalReplicas() * job.procsPerNode()));
    env.put("RANK", Integer.toString(rank));
    env.put("PET_NODE_RANK", Integer.toString(rank));
    job.nprocPerNode().ifPresent(n -> env.put("PET_NPROC_PER_NODE", n));
    if (job.elastic().isEmpty()) {
      env.put("PET_NNODES", Integer.toString(job.totalReplicas()));
    } else {
      elastic(env, job, job.elastic().get(), at);
    }
  }

  private static void elastic(Map<String, String> env, TrainingJobModel job, ElasticModel e, ReplicaAddressing at) {
    ReplicaId worker0 = job.group("worker").isPresent() ? new ReplicaId("worker", 0) : job.rankZero();
    String host = e.rdzvHost().orElse(at.host(worker0));
    int port = e.rdzvPort().orElse(at.port(worker0));
    env.put("PET_RDZV_ENDPOINT", host + ":" + port);
    env.put("PET_RDZV_BACKEND", e.rdzvBackend());
    env.put("PET_NNODES", e.minReplicas() + ":" + e.maxReplicas());
    e.maxRestarts().ifPresent(v -> env.put("PET_MAX_RESTARTS", Integer.toString(v)));
    e.rdzvId().ifPresent(v -> env.put("PET_RDZV_ID", v));
    if (!e.rdzvConf().isEmpty()) {
      env.put("PET_RDZV_CONF", String.join(",", e.rdzvConf()));
    }
    if (e.standalone()) {
      env.put("PET_STANDALONE", "");
    }
  }
}
