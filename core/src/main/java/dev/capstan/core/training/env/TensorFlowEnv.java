package dev.capstan.core.training.env;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.training.ReplicaGroup;
import dev.capstan.api.training.ReplicaId;
import dev.capstan.api.training.TrainingJobModel;
import java.util.Map;

/**
 * TF_CONFIG for tf.distribute. The evaluator is not part of the training cluster (TensorFlow's
 * rule), so it appears only in its own {@code task}. A job of one replica gets no TF_CONFIG.
 */
final class TensorFlowEnv {
  private TensorFlowEnv() {}

  static void fill(Map<String, String> env, TrainingJobModel job, ReplicaId id, ReplicaAddressing at) {
    if (job.totalReplicas() <= 1) {
      return;
    }
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode config = f.objectNode();
    ObjectNode cluster = config.putObject("cluster");
    for (ReplicaGroup group : job.groups()) {
      if (group.role().equals("evaluator") || group.count() == 0) {
        continue;
      }
      ArrayNode hosts = cluster.putArray(group.role());
      for (ReplicaId r : group.replicas()) {
        hosts.add(at.qualifiedHost(r) + ":" + at.port(r));
      }
    }
    ObjectNode task = config.putObject("task");
    task.put("type", id.role());
    task.put("index", id.index());
    config.put("environment", "cloud");
    env.put("TF_CONFIG", config.toString());
  }
}
