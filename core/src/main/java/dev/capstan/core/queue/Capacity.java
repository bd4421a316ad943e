package dev.capstan.core.queue;

import java.util.List;

/**
 * What queued workloads may use, per node: each node's allocatable less what anything the
 * scheduler does not admit already holds. One node locally (the host).
 */
public record Capacity(List<Node> nodes) {
  public record Node(String name, ResourceList allocatable) {}

  public Capacity {
    nodes = List.copyOf(nodes);
  }

  public static Capacity host(ResourceList allocatable) {
    return new Capacity(List.of(new Node("host", allocatable)));
  }

  public ResourceList total() {
    return nodes.stream().map(Node::allocatable).reduce(ResourceList.EMPTY, ResourceList::plus);
  }
}
