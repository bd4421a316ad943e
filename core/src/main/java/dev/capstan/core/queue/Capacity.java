package dev.capstan.core.queue;

import dev.capstan.api.queue.ResourceUnits;
import java.util.List;
import java.util.Set;

/**
 * What queued workloads may use, per node: each node's allocatable less what anything the
 * scheduler does not admit already holds. One node locally (the host). The fit check counts only
 * {@code resources} (a host knows its CPU, memory and GPUs, not its ephemeral storage).
 */
public record Capacity(List<Node> nodes, Set<String> resources) {
  public record Node(String name, ResourceList allocatable) {}

  /** What a host knows it has. */
  public static final Set<String> HOST_RESOURCES = Set.of(ResourceUnits.CPU, ResourceUnits.MEMORY, ResourceUnits.GPU);

  public Capacity {
    nodes = List.copyOf(nodes);
    resources = Set.copyOf(resources);
  }

  public static Capacity host(ResourceList allocatable) {
    return new Capacity(List.of(new Node("host", allocatable)), HOST_RESOURCES);
  }

  public ResourceList total() {
    return nodes.stream().map(Node::allocatable).reduce(ResourceList.EMPTY, ResourceList::plus);
  }
}
