package dev.capstan.core.training.env;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.training.ReplicaGroup;
import dev.capstan.api.training.ReplicaId;
import dev.capstan.api.training.TrainingJobModel;
import java.util.Comparator;
import java.util.Map;

/**
 * TF_CONFIG for tf.distribute, as the training operator's {@code genTFConfigJSONStr} (v1.9
 * {@code tensorflow/tensorflow.go}) writes it: every replica group in the cluster, the evaluator
 * and groups of 0 replicas included, keys in sorted order as Go's encoder writes a map. A job of
 * one replica gets no TF_CONFIG ({@code isDistributed}).
 */
final class TensorFlowEnv {
  private TensorFlowEnv() {}

  static void fill(Map<String, String> env, TrainingJobModel job, ReplicaId id, ReplicaAddressing at) {
    if (job.totalReplicas() == 1) {
      return;
    }
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode config = f.objectNode();
    ObjectNode cluster = config.putObject("cluster");
    for (ReplicaGroup group : job.groups().stream().sorted(Comparator.comparing(ReplicaGroup::role)).toList()) {
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
