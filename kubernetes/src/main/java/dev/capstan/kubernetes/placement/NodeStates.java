package dev.capstan.kubernetes.placement;

import dev.capstan.api.queue.ResourceUnits;
import dev.capstan.core.placement.GpuNode;
import dev.capstan.core.placement.NodeState;
import dev.capstan.core.placement.PodRequest;
import dev.capstan.core.queue.ResourceList;
import dev.capstan.kubernetes.queue.InformedCapacity;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Kubernetes objects as core's placement model, a pure function: each Ready, schedulable node whose
 * {@value #HOSTNAME_LABEL} label is its name (what a pin names) becomes a {@link NodeState} with
 * its allocatable CPU, memory and {@code nvidia.com/gpu}, its GPU model from {@value #GPU_MODEL_LABEL},
 * less what the pods bound to it request (those that finished hold nothing) and what pinned pods
 * not bound yet will take there. Kubernetes does not say which GPU devices a pod holds, so a node's
 * used GPUs are its lowest-numbered ones; whole GPUs only (a share is not a Kubernetes request).
 */
public final class NodeStates {
  public static final String HOSTNAME_LABEL = "kubernetes.io/hostname";
  /** Set by NVIDIA's GPU feature discovery, e.g. {@code NVIDIA-A100-SXM4-80GB}. */
  public static final String GPU_MODEL_LABEL = "nvidia.com/gpu.product";
  private static final long MIB = 1L << 20;
  private static final Set<String> REPELLING = Set.of("NoSchedule", "NoExecute");

  /** A pod pinned to {@code node} that is not bound yet: it will take {@code request} there. */
  public record Pinned(String node, PodRequest request) {}

  private NodeStates() {}

  /** The usable nodes, sorted by name (the order ties go by), each with what is left on it. */
  public static List<NodeState> of(List<Node> nodes, List<Pod> pods, List<Pinned> pinned) {
    Map<String, ResourceList> used = new HashMap<>();
    for (Pod pod : pods) {
      String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
      if (node != null && InformedCapacity.holds(pod)) {
        used.merge(node, requested(pod.getSpec()), ResourceList::plus);
      }
    }
    for (Pinned p : pinned) {
      used.merge(p.node(), ResourceList.of(ResourceUnits.CPU, p.request().cpuMilli(), ResourceUnits.MEMORY,
          p.request().memoryMib() * MIB, ResourceUnits.GPU, (long) p.request().gpuCount()), ResourceList::plus);
    }
    List<NodeState> states = new ArrayList<>();
    for (Node node : nodes.stream().sorted(Comparator.comparing(n -> n.getMetadata().getName())).toList()) {
      if (pinnable(node)) {
        states.add(state(node, used.getOrDefault(node.getMetadata().getName(), ResourceList.EMPTY)));
      }
    }
    return states;
  }

  /**
   * What one pod of {@code spec} asks of a node: its requests (limits where no request is given),
   * whole GPUs of {@code nvidia.com/gpu}, and the GPU model its node selector names, if any.
   * Throws IllegalArgumentException for more GPUs than a node can have or an unreadable quantity.
   */
  public static PodRequest request(PodSpec spec) {
    ResourceList r = requested(spec);
    long gpus = r.get(ResourceUnits.GPU);
    if (gpus > PodRequest.MAX_GPUS) {
      throw new IllegalArgumentException("a pod asks for " + gpus + " GPUs, more than " + PodRequest.MAX_GPUS);
    }
    long memoryMib = (r.get(ResourceUnits.MEMORY) + MIB - 1) / MIB;
    PodRequest request = gpus == 0 ? PodRequest.cpuOnly(r.get(ResourceUnits.CPU), memoryMib)
        : PodRequest.wholeGpus(r.get(ResourceUnits.CPU), memoryMib, (int) gpus);
    String model = spec.getNodeSelector() == null ? null : spec.getNodeSelector().get(GPU_MODEL_LABEL);
    return model == null || gpus == 0 ? request : request.onModels(Set.of(model));
  }

  /**
   * Whether a pod of {@code spec} may go to {@code node} as far as the node's labels, name and
   * taints say: it names no other node ({@code nodeName}: the kubelet would refuse the pin and fail
   * the pod), its node selector matches, its required node affinity admits the node
   * ({@link RequiredNodeAffinity}) and it tolerates every NoSchedule and NoExecute taint. (Ports,
   * pod affinity and the rest are kube-scheduler's to check; a pin it cannot honour is dropped
   * after the grace.)
   */
  public static boolean accepts(Node node, PodSpec spec) {
    Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
    if (spec.getNodeSelector() != null
        && !spec.getNodeSelector().entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())))) {
      return false;
    }
    if (spec.getNodeName() != null && !spec.getNodeName().equals(node.getMetadata().getName())
        || !RequiredNodeAffinity.admits(node, spec)) {
      return false;
    }
    List<Taint> taints = node.getSpec() == null || node.getSpec().getTaints() == null ? List.of() : node.getSpec().getTaints();
    List<Toleration> tolerations = spec.getTolerations() == null ? List.of() : spec.getTolerations();
    return taints.stream().filter(t -> REPELLING.contains(t.getEffect()))
        .allMatch(t -> tolerations.stream().anyMatch(tol -> tolerates(tol, t)));
  }

  /** Whether the node can be pinned to: usable for the scheduling cycle, and its hostname label names it. */
  public static boolean pinnable(Node node) {
    String name = node.getMetadata().getName();
    Map<String, String> labels = node.getMetadata().getLabels();
    return InformedCapacity.usable(node) && labels != null && name.equals(labels.get(HOSTNAME_LABEL));
  }

  /** Whether the pod is bound to a node and still holds what it asked for there. */
  public static boolean bound(Pod pod) {
    return pod.getSpec() != null && pod.getSpec().getNodeName() != null && InformedCapacity.holds(pod);
  }

  /** As kube-scheduler's toleration match: same effect (or any), same key (or any with Exists), Equal compares values. */
  private static boolean tolerates(Toleration tol, Taint taint) {
    if (tol.getEffect() != null && !tol.getEffect().isEmpty() && !tol.getEffect().equals(taint.getEffect())) {
      return false;
    }
    boolean exists = "Exists".equals(tol.getOperator());
    if (tol.getKey() == null || tol.getKey().isEmpty()) {
      return exists;
    }
    if (!tol.getKey().equals(taint.getKey())) {
      return false;
    }
    return exists || java.util.Objects.equals(tol.getValue() == null ? "" : tol.getValue(),
        taint.getValue() == null ? "" : taint.getValue());
  }

  private static NodeState state(Node node, ResourceList used) {
    ResourceList allocatable = InformedCapacity.allocatable(node);
    long cpu = Math.max(0, allocatable.get(ResourceUnits.CPU));
    long memoryMib = Math.max(0, allocatable.get(ResourceUnits.MEMORY)) / MIB;
    int gpus = (int) Math.max(0, Math.min(allocatable.get(ResourceUnits.GPU), PodRequest.MAX_GPUS));
    String model = node.getMetadata().getLabels().get(GPU_MODEL_LABEL);
    GpuNode capacity = new GpuNode(node.getMetadata().getName(), cpu, memoryMib, gpus, model);
    int usedGpus = (int) Math.min(used.get(ResourceUnits.GPU), gpus);
    int[] gpuLeft = new int[gpus];
    for (int d = usedGpus; d < gpus; d++) {
      gpuLeft[d] = PodRequest.MILLI;
    }
    long usedMemoryMib = (used.get(ResourceUnits.MEMORY) + MIB - 1) / MIB;
    return NodeState.of(capacity, Math.max(0, cpu - used.get(ResourceUnits.CPU)), Math.max(0, memoryMib - usedMemoryMib), gpuLeft);
  }

  /** What a pod requests; a pod whose quantities cannot be read counts as asking nothing. */
  private static ResourceList requested(PodSpec spec) {
    try {
      return ResourceList.ofPod(new PodTemplateSpec(null, spec));
    } catch (RuntimeException e) {
      return ResourceList.EMPTY;
    }
  }
}
