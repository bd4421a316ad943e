package dev.capstan.kubernetes.queue;

import dev.capstan.core.queue.Capacity;
import dev.capstan.core.queue.CapacitySource;
import dev.capstan.core.queue.ResourceList;
import dev.capstan.core.training.ReplicaLabels;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The cluster's capacity for the scheduling cycle, read from informer caches of Nodes and Pods (one
 * list and then a watch each, never a list per cycle): every Ready, schedulable node with its
 * allocatable, and as reserved on it what pods Capstan's training jobs do not own hold there (the
 * cycle counts admitted jobs itself, from their whole gang). A pod that finished holds nothing.
 */
public final class InformedCapacity implements CapacitySource, AutoCloseable {
  private final KubernetesClient client;
  private volatile SharedIndexInformer<Node> nodes;
  private volatile SharedIndexInformer<Pod> pods;

  public InformedCapacity(KubernetesClient client) {
    this.client = client;
  }

  /** Starts both informers and waits for their first list. */
  public synchronized void open() {
    if (nodes == null) {
      nodes = client.nodes().inform();
      pods = client.pods().inAnyNamespace().inform();
    }
  }

  /** What the caches hold now; nothing before {@link #open}. */
  @Override
  public Capacity capacity() {
    SharedIndexInformer<Node> n = nodes;
    SharedIndexInformer<Pod> p = pods;
    return n == null || p == null ? of(List.of(), List.of()) : of(n.getStore().list(), p.getStore().list());
  }

  /** The nodes the cache holds now; none before {@link #open}. */
  public List<Node> nodes() {
    SharedIndexInformer<Node> n = nodes;
    return n == null ? List.of() : n.getStore().list();
  }

  /** The pods (of every namespace) the cache holds now; none before {@link #open}. */
  public List<Pod> pods() {
    SharedIndexInformer<Pod> p = pods;
    return p == null ? List.of() : p.getStore().list();
  }

  /** Pure: usable nodes, each with what pods other than Capstan's training replicas hold on it. */
  public static Capacity of(List<Node> nodes, List<Pod> pods) {
    Map<String, ResourceList> reserved = new HashMap<>();
    for (Pod pod : pods) {
      String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
      if (node != null && holds(pod) && !training(pod)) {
        reserved.merge(node, ResourceList.ofPod(new PodTemplateSpec(null, pod.getSpec())), ResourceList::plus);
      }
    }
    List<Capacity.Node> usable = new ArrayList<>();
    Set<String> resources = new LinkedHashSet<>(Capacity.HOST_RESOURCES);
    for (Node node : nodes.stream().sorted(java.util.Comparator.comparing(n -> n.getMetadata().getName())).toList()) {
      if (!usable(node)) {
        continue;
      }
      ResourceList allocatable = allocatable(node);
      resources.addAll(allocatable.names());
      String name = node.getMetadata().getName();
      usable.add(new Capacity.Node(name, allocatable, reserved.getOrDefault(name, ResourceList.EMPTY)));
    }
    resources.remove("pods");
    return new Capacity(usable, resources);
  }

  /** Whether the pod still holds what it asked for: one that finished holds nothing. */
  public static boolean holds(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return !"Succeeded".equals(phase) && !"Failed".equals(phase);
  }

  private static boolean training(Pod pod) {
    return pod.getMetadata().getLabels() != null && pod.getMetadata().getLabels().containsKey(ReplicaLabels.CAPSTAN_JOB);
  }

  /** Ready and schedulable: a node the cycle counts. */
  public static boolean usable(Node node) {
    if (node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
      return false;
    }
    List<NodeCondition> conditions = node.getStatus() == null || node.getStatus().getConditions() == null
        ? List.of() : node.getStatus().getConditions();
    return conditions.stream().filter(c -> "Ready".equals(c.getType())).allMatch(c -> "True".equals(c.getStatus()));
  }

  /** The node's allocatable amounts, in the units of {@link ResourceList}. */
  public static ResourceList allocatable(Node node) {
    Map<String, Quantity> values = node.getStatus() == null || node.getStatus().getAllocatable() == null
        ? Map.of() : new TreeMap<>(node.getStatus().getAllocatable());
    var container = new io.fabric8.kubernetes.api.model.ContainerBuilder().withName("node")
        .withNewResources().withRequests(values).endResources().build();
    return ResourceList.ofPod(new PodTemplateSpec(null, new io.fabric8.kubernetes.api.model.PodSpecBuilder()
        .withContainers(container).build()));
  }

  @Override
  public synchronized void close() {
    if (nodes != null) {
      nodes.close();
    }
    if (pods != null) {
      pods.close();
    }
    nodes = null;
    pods = null;
  }
}
