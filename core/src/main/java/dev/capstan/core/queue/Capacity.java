package dev.capstan.core.queue;

import dev.capstan.api.queue.ResourceUnits;
import java.util.List;
import java.util.Set;

/**
 * What queued workloads may use, per node: each node's allocatable, and what anything the
 * scheduler does not admit already holds there ({@code reserved}: serving replicas locally). A
 * gang is too large only when it exceeds the allocatable; while reserved amounts leave too little
 * room it waits. One node locally (the host). The fit check counts only {@code resources} (a host
 * knows its CPU, memory and GPUs, not its ephemeral storage).
 */
public record Capacity(List<Node> nodes, Set<String> resources) {
  /** A node: its allocatable, and what others hold of it now ({@code reserved}). */
  public record Node(String name, ResourceList allocatable, ResourceList reserved) {
    public Node(String name, ResourceList allocatable) {
      this(name, allocatable, ResourceList.EMPTY);
    }

    /** What workloads the scheduler admits may use of this node now. */
    public ResourceList unreserved() {
      return allocatable.minus(reserved);
    }
  }

  /** What a host knows it has. */
  public static final Set<String> HOST_RESOURCES = Set.of(ResourceUnits.CPU, ResourceUnits.MEMORY, ResourceUnits.GPU);

  public Capacity {
    nodes = List.copyOf(nodes);
    resources = Set.copyOf(resources);
  }

  public static Capacity host(ResourceList allocatable) {
    return host(allocatable, ResourceList.EMPTY);
  }

  /** The host, part of which something the scheduler does not admit holds now. */
  public static Capacity host(ResourceList allocatable, ResourceList reserved) {
    return new Capacity(List.of(new Node("host", allocatable, reserved)), HOST_RESOURCES);
  }

  public ResourceList total() {
    return nodes.stream().map(Node::allocatable).reduce(ResourceList.EMPTY, ResourceList::plus);
  }
}
