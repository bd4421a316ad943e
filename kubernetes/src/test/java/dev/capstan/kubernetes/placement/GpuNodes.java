package dev.capstan.kubernetes.placement;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.LinkedHashMap;
import java.util.Map;

/** Nodes and pods as a cluster with NVIDIA's device plugin and GPU feature discovery shows them, for the tests. */
final class GpuNodes {
  static final String A100 = "NVIDIA-A100-SXM4-80GB";

  private GpuNodes() {}

  /** A Ready node labelled with its hostname and, with GPUs, their model. */
  static Node node(String name, String cpu, String memory, int gpus) {
    Map<String, Quantity> allocatable = new LinkedHashMap<>(Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory),
        "pods", new Quantity("110")));
    Map<String, String> labels = new LinkedHashMap<>(Map.of(NodeStates.HOSTNAME_LABEL, name));
    if (gpus > 0) {
      allocatable.put("nvidia.com/gpu", new Quantity(Integer.toString(gpus)));
      labels.put(NodeStates.GPU_MODEL_LABEL, A100);
    }
    return new NodeBuilder().withNewMetadata().withName(name).withLabels(labels).endMetadata()
        .withNewStatus().withAllocatable(allocatable).withCapacity(allocatable)
        .addNewCondition().withType("Ready").withStatus("True").endCondition()
        .endStatus().build();
  }

  /** A running pod bound to {@code node} (as one created with spec.nodeName is) that requests what it is given. */
  static Pod boundPod(String ns, String name, String node, String cpu, String memory, int gpus) {
    Map<String, Quantity> requests = new LinkedHashMap<>(Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory)));
    Map<String, Quantity> limits = new LinkedHashMap<>();
    if (gpus > 0) {
      requests.put("nvidia.com/gpu", new Quantity(Integer.toString(gpus)));
      limits.put("nvidia.com/gpu", new Quantity(Integer.toString(gpus)));
    }
    return new PodBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
        .withNewSpec().withNodeName(node)
        .addNewContainer().withName("main").withImage("busybox:1").withNewResources().withRequests(requests).withLimits(limits)
        .endResources().endContainer()
        .endSpec()
        .withNewStatus().withPhase("Running").endStatus()
        .build();
  }
}
