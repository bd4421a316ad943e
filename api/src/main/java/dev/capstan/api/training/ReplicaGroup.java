package dev.capstan.api.training;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
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

  /**
   * The port peers reach this group's replicas on: the main container's port named like the
   * framework's ({@code pytorchjob-port}, {@code tfjob-port}, …), else the framework's default.
   */
  public int port(Framework framework) {
    List<ContainerPort> ports = container().getPorts();
    if (ports != null) {
      for (ContainerPort p : ports) {
        if (framework.portName().equals(p.getName()) && p.getContainerPort() != null) {
          return p.getContainerPort();
        }
      }
    }
    return framework.defaultPort();
  }

  public List<ReplicaId> replicas() {
    return IntStream.range(0, count).mapToObj(i -> new ReplicaId(role, i)).toList();
  }
}
