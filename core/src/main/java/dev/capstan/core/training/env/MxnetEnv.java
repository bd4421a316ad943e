package dev.capstan.core.training.env;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.training.ReplicaGroup;
import dev.capstan.api.training.ReplicaId;
import dev.capstan.api.training.TrainingJobModel;
import java.util.Map;

/**
 * MX_CONFIG and the DMLC_* variables of MXNet's parameter-server launcher, as v1.7
 * {@code mxnet/mxnet.go} SetPodEnv sets them; a group's {@code labels} entry is its template's
 * {@code tuner-server-key} annotation (empty when absent).
 */
final class MxnetEnv {
  private MxnetEnv() {}

  static void fill(Map<String, String> env, TrainingJobModel job, ReplicaId id, ReplicaAddressing at) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode config = f.objectNode();
    ObjectNode cluster = config.putObject("cluster");
    ObjectNode labels = config.putObject("labels");
    for (ReplicaGroup group : job.groups()) {
      ArrayNode members = cluster.putArray(group.role());
      for (ReplicaId r : group.replicas()) {
        members.addObject().put("url", at.host(r)).put("port", at.port(r));
      }
      labels.put(group.role(), tunerServerKey(group));
    }
    ObjectNode task = config.putObject("task");
    task.put("type", id.role());
    task.put("index", id.index());
    env.put("MX_CONFIG", config.toString());

    ReplicaId scheduler = new ReplicaId("scheduler", 0);
    env.put("DMLC_PS_ROOT_PORT", Integer.toString(at.port(scheduler)));
    env.put("DMLC_PS_ROOT_URI", at.host(scheduler));
    env.put("DMLC_NUM_SERVER", Integer.toString(job.group("server").map(ReplicaGroup::count).orElse(0)));
    env.put("DMLC_NUM_WORKER", Integer.toString(job.group("worker").map(ReplicaGroup::count).orElse(0)));
    env.put("DMLC_ROLE", id.role());
    env.put("DMLC_USE_KUBERNETES", "1");
    if (id.role().equals("worker")) {
      env.put("DMLC_WORKER_ID", Integer.toString(id.index()));
    }
  }

  private static String tunerServerKey(ReplicaGroup group) {
    var meta = group.template().getMetadata();
    String value = meta == null || meta.getAnnotations() == null ? null : meta.getAnnotations().get("tuner-server-key");
    return value == null ? "" : value;
  }
}
