package dev.capstan.api.training;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.util.stream.IntStream;
import java.util.List;

/**
 * A validated replica group. {@code mainContainer} indexes the container that receives the
 * environment contract (the framework's container name, or the only container).
 */
public record ReplicaGroup(
    String role, int count, RestartPolicy restartPolicy, PodTemplateSpec template, int mainContainer) {

  public Container container() {
    return template.getSpec().getContainers().get(mainContainer);
  }

  public List<ReplicaId> replicas() {
    return IntStream.range(0, count).mapToObj(i -> new ReplicaId(role, i)).toList();
  }
}
