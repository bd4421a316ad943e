package dev.capstan.kubernetes.cluster;

import dev.capstan.core.queue.ResourceAmounts;
import dev.capstan.core.training.ReplicaLabels;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What the cluster can give Capstan's gangs: the allocatable resources of nodes that are Ready and
 * schedulable, minus what pods not started by Capstan's training jobs already hold on them
 * (admitted TrainingJobs are counted by admission itself, from their whole-gang demand).
 */
public final class ClusterCapacity implements Supplier<ClusterCapacity.Snapshot> {
  /** What is free for gangs in all, and what each usable node allocates (one pod must fit one node). */
  public record Snapshot(ResourceAmounts free, List<ResourceAmounts> nodes) {
    public Snapshot {
      nodes = List.copyOf(nodes);
    }
  }

  private final KubernetesClient client;

  public ClusterCapacity(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public Snapshot get() {
    List<Node> nodes = client.nodes().list().getItems();
    List<Pod> pods = client.pods().inAnyNamespace().list().getItems();
    return new Snapshot(free(nodes, pods), nodes.stream().filter(ClusterCapacity::usable).map(ClusterCapacity::allocatable).toList());
  }

  /** Pure: the allocatable of usable nodes minus the requests of non-Capstan pods bound to them. */
  public static ResourceAmounts free(List<Node> nodes, List<Pod> pods) {
    ResourceAmounts total = ResourceAmounts.ZERO;
    java.util.Set<String> usable = new java.util.HashSet<>();
    for (Node node : nodes) {
      if (!usable(node)) {
        continue;
      }
      usable.add(node.getMetadata().getName());
      total = total.plus(allocatable(node));
    }
    for (Pod pod : pods) {
      String nodeName = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
      boolean capstan = pod.getMetadata().getLabels() != null && pod.getMetadata().getLabels().containsKey(ReplicaLabels.CAPSTAN_JOB);
      String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
      boolean holds = !"Succeeded".equals(phase) && !"Failed".equals(phase);
      if (nodeName != null && usable.contains(nodeName) && !capstan && holds) {
        total = total.minus(ResourceAmounts.of(new PodTemplateSpec(null, pod.getSpec())));
      }
    }
    return total;
  }

  private static boolean usable(Node node) {
    if (node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
      return false;
    }
    List<NodeCondition> conditions = node.getStatus() == null || node.getStatus().getConditions() == null
        ? List.of() : node.getStatus().getConditions();
    return conditions.stream().filter(c -> "Ready".equals(c.getType())).allMatch(c -> "True".equals(c.getStatus()));
  }

  private static ResourceAmounts allocatable(Node node) {
    return amounts(node.getStatus() == null || node.getStatus().getAllocatable() == null
        ? Map.of() : node.getStatus().getAllocatable());
  }

  private static ResourceAmounts amounts(Map<String, Quantity> values) {
    var container = new io.fabric8.kubernetes.api.model.ContainerBuilder().withName("node")
        .withNewResources().withRequests(values).endResources().build();
    return ResourceAmounts.of(new PodTemplateSpec(null, new PodSpecBuilder().withContainers(container).build()));
  }
}
