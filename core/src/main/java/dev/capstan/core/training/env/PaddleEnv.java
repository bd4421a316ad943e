package dev.capstan.core.training.env;

import dev.capstan.api.training.ReplicaId;
import dev.capstan.api.training.TrainingJobModel;
import java.util.Map;

/**
 * PaddlePaddle's launcher variables as v1.9 {@code paddlepaddle/envvar.go} sets them. Without a
 * master the job is collective and worker-0 is the rendezvous; with one it is parameter-server
 * mode and master-0 is. The rendezvous replica names itself by its own IP ({@code $(POD_IP_DUMMY)}),
 * the others by its service name, both with its group's port.
 */
final class PaddleEnv {
  private PaddleEnv() {}

  static void fill(Map<String, String> env, TrainingJobModel job, ReplicaId id, ReplicaAddressing at) {
    env.put("PADDLE_JOB_ID", job.name());
    env.put("PADDLE_NNODES", Integer.toString(job.totalReplicas()));
    boolean psMode = job.group("master").isPresent();
    ReplicaId endpoint = new ReplicaId(psMode ? "master" : "worker", 0);
    int port = at.port(endpoint);
    if (id.equals(endpoint)) {
      env.put(EnvContract.POD_IP, at.podIp().orElse(""));
      env.put("PADDLE_MASTER", at.podIp().orElse("$(" + EnvContract.POD_IP + ")") + ":" + port);
    } else {
      env.put("PADDLE_MASTER", at.host(endpoint) + ":" + port);
    }
    if (psMode) {
      env.put(id.role().equals("master") ? "PADDLE_SERVER_NUM" : "PADDLE_TRAINER_NUM", "1");
    }
  }
}
