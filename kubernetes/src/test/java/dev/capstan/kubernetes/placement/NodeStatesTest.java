package dev.capstan.kubernetes.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.core.placement.NodeState;
import dev.capstan.core.placement.PodRequest;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Nodes and pods, made by hand, as core's placement sees them. */
class NodeStatesTest {
  @Test
  void aNodeHasItsAllocatableLessWhatBoundPodsAndPinnedPodsTake() {
    Node node = GpuNodes.node("gpu-a", "16", "64Gi", 8);
    Pod running = GpuNodes.boundPod("ml", "train", "gpu-a", "2", "8Gi", 3);
    Pod done = new PodBuilder(GpuNodes.boundPod("ml", "done", "gpu-a", "4", "4Gi", 4))
        .editStatus().withPhase("Succeeded").endStatus().build();
    Pod unbound = new PodBuilder(GpuNodes.boundPod("ml", "waiting", null, "4", "4Gi", 4)).editStatus().withPhase("Pending").endStatus().build();
    Pod elsewhere = GpuNodes.boundPod("ml", "other", "gpu-z", "1", "1Gi", 1);

    List<NodeState> states = NodeStates.of(List.of(node), List.of(running, done, unbound, elsewhere),
        List.of(new NodeStates.Pinned("gpu-a", PodRequest.wholeGpus(1000, 1024, 1))));

    assertEquals(1, states.size());
    NodeState a = states.get(0);
    assertEquals("gpu-a", a.node().name());
    assertEquals(GpuNodes.A100, a.gpuModel());
    assertEquals(16_000, a.node().cpuMilli());
    assertEquals(64 * 1024, a.node().memoryMib());
    assertEquals(16_000 - 2_000 - 1_000, a.cpuLeft(), "the running pod and the pinned one take CPU; the finished one holds none");
    assertEquals(64 * 1024 - 8 * 1024 - 1024, a.memoryLeft());
    assertEquals(8, a.gpuCount());
    int[] left = new int[8];
    for (int d = 0; d < 8; d++) {
      left[d] = a.gpuLeft(d);
    }
    assertEquals(List.of(0, 0, 0, 0, 1000, 1000, 1000, 1000), java.util.Arrays.stream(left).boxed().toList(),
        "3 GPUs bound and 1 pinned: the lowest-numbered four are taken");
  }

  @Test
  void onlyReadySchedulableNodesNamedByTheirHostnameLabelCountInNameOrder() {
    Node b = GpuNodes.node("gpu-b", "8", "32Gi", 4);
    Node a = GpuNodes.node("gpu-a", "8", "32Gi", 4);
    Node cpu = GpuNodes.node("cpu-a", "8", "32Gi", 0);
    Node notReady = new NodeBuilder(GpuNodes.node("gpu-c", "8", "32Gi", 4)).editStatus().editFirstCondition().withStatus("False")
        .endCondition().endStatus().build();
    Node cordoned = new NodeBuilder(GpuNodes.node("gpu-d", "8", "32Gi", 4)).withNewSpec().withUnschedulable(true).endSpec().build();
    Node otherHostname = new NodeBuilder(GpuNodes.node("gpu-e", "8", "32Gi", 4)).editMetadata()
        .addToLabels(NodeStates.HOSTNAME_LABEL, "ip-10-0-0-5").endMetadata().build();

    List<NodeState> states = NodeStates.of(List.of(b, a, cpu, notReady, cordoned, otherHostname), List.of(), List.of());

    assertEquals(List.of("cpu-a", "gpu-a", "gpu-b"), states.stream().map(s -> s.node().name()).toList());
    assertEquals(0, states.get(0).gpuCount());
    assertEquals("", states.get(0).gpuModel());
    assertEquals(4, states.get(1).fullyFreeGpus());
  }

  @Test
  void aPodAsksForItsRequestsOrLimitsAndTheModelItsNodeSelectorNames() {
    PodSpec spec = new PodSpecBuilder().withNodeSelector(Map.of(NodeStates.GPU_MODEL_LABEL, GpuNodes.A100))
        .addNewContainer().withName("main").withNewResources()
        .withRequests(Map.of("cpu", new Quantity("1500m"), "memory", new Quantity("3Gi")))
        .withLimits(Map.of("nvidia.com/gpu", new Quantity("2"))).endResources().endContainer()
        .addNewContainer().withName("side").withNewResources().withRequests(Map.of("cpu", new Quantity("500m"),
            "memory", new Quantity("1000Ki"))).endResources().endContainer()
        .build();

    assertEquals(new PodRequest(2_000, 3 * 1024 + 1, 2, PodRequest.MILLI, Set.of(GpuNodes.A100)), NodeStates.request(spec),
        "memory rounds up to whole MiB; GPUs from the limit");
    PodSpec cpuOnly = new PodSpecBuilder().withNodeSelector(Map.of(NodeStates.GPU_MODEL_LABEL, GpuNodes.A100))
        .addNewContainer().withName("main").withNewResources().withRequests(Map.of("cpu", new Quantity("1")))
        .endResources().endContainer().build();
    assertEquals(PodRequest.cpuOnly(1_000, 0), NodeStates.request(cpuOnly));
    PodSpec huge = new PodSpecBuilder().addNewContainer().withName("main").withNewResources()
        .withLimits(Map.of("nvidia.com/gpu", new Quantity("65"))).endResources().endContainer().build();
    assertThrows(IllegalArgumentException.class, () -> NodeStates.request(huge));
  }

  @Test
  void aNodeAcceptsAPodWhoseSelectorMatchesAndThatToleratesItsRepellingTaints() {
    Node tainted = new NodeBuilder(GpuNodes.node("gpu-a", "8", "32Gi", 4)).withNewSpec()
        .addToTaints(new TaintBuilder().withKey("nvidia.com/gpu").withValue("present").withEffect("NoSchedule").build())
        .addToTaints(new TaintBuilder().withKey("team").withValue("ml").withEffect("PreferNoSchedule").build())
        .endSpec().build();
    PodSpec plain = new PodSpecBuilder().addNewContainer().withName("main").endContainer().build();
    PodSpec tolerating = new PodSpecBuilder(plain)
        .addToTolerations(new TolerationBuilder().withKey("nvidia.com/gpu").withOperator("Exists").withEffect("NoSchedule").build())
        .build();
    PodSpec wrongValue = new PodSpecBuilder(plain)
        .addToTolerations(new TolerationBuilder().withKey("nvidia.com/gpu").withOperator("Equal").withValue("absent").build())
        .build();
    PodSpec everything = new PodSpecBuilder(plain).addToTolerations(new TolerationBuilder().withOperator("Exists").build()).build();
    PodSpec otherModel = new PodSpecBuilder(tolerating).withNodeSelector(Map.of(NodeStates.GPU_MODEL_LABEL, "NVIDIA-H100-80GB-HBM3"))
        .build();

    assertFalse(NodeStates.accepts(tainted, plain), "NoSchedule repels a pod that does not tolerate it");
    assertTrue(NodeStates.accepts(tainted, tolerating), "PreferNoSchedule does not repel");
    assertFalse(NodeStates.accepts(tainted, wrongValue));
    assertTrue(NodeStates.accepts(tainted, everything));
    assertFalse(NodeStates.accepts(tainted, otherModel), "the node selector names another model");
    assertTrue(NodeStates.accepts(GpuNodes.node("gpu-b", "8", "32Gi", 4), plain));
  }

  @Test
  void aNodeAcceptsAPodOnlyWhereItsRequiredNodeAffinityAndNodeNameAdmitIt() {
    Node a = new NodeBuilder(GpuNodes.node("gpu-a", "8", "32Gi", 4)).editMetadata()
        .addToLabels(Map.of("topology.kubernetes.io/zone", "a", "pool-size", "8")).endMetadata().build();
    Node b = new NodeBuilder(GpuNodes.node("gpu-b", "8", "32Gi", 4)).editMetadata()
        .addToLabels("topology.kubernetes.io/zone", "b").endMetadata().build();

    PodSpec zoneA = affinity(term(expression("topology.kubernetes.io/zone", "In", "a")));
    assertTrue(NodeStates.accepts(a, zoneA));
    assertFalse(NodeStates.accepts(b, zoneA), "the pin would be added to a term gpu-b cannot meet");
    PodSpec zoneAOrB = affinity(term(expression("topology.kubernetes.io/zone", "In", "a")),
        term(expression("topology.kubernetes.io/zone", "In", "b")));
    assertTrue(NodeStates.accepts(b, zoneAOrB), "terms are alternatives");
    PodSpec notA = affinity(term(expression("topology.kubernetes.io/zone", "NotIn", "a"), expression("pool-size", "DoesNotExist")));
    assertFalse(NodeStates.accepts(a, notA));
    assertTrue(NodeStates.accepts(b, notA), "a term's requirements all hold");
    PodSpec bigPool = affinity(term(expression("pool-size", "Gt", "4"), expression("pool-size", "Exists")));
    assertTrue(NodeStates.accepts(a, bigPool));
    assertFalse(NodeStates.accepts(b, bigPool), "Gt on a missing label holds nowhere");
    PodSpec byName = affinity(new NodeSelectorTermBuilder().addNewMatchField().withKey("metadata.name").withOperator("In")
        .withValues("gpu-b").endMatchField().build());
    assertFalse(NodeStates.accepts(a, byName));
    assertTrue(NodeStates.accepts(b, byName));
    assertFalse(NodeStates.accepts(a, affinity(new NodeSelectorTerm())), "an empty term matches no node");
    PodSpec boundToB = new PodSpecBuilder(zoneAOrB).withNodeName("gpu-b").build();
    assertFalse(NodeStates.accepts(a, boundToB), "a template naming its node goes nowhere else: the kubelet would fail the pod");
    assertTrue(NodeStates.accepts(b, boundToB));
  }

  private static PodSpec affinity(NodeSelectorTerm... terms) {
    return new PodSpecBuilder().addNewContainer().withName("main").endContainer().withNewAffinity().withNewNodeAffinity()
        .withNewRequiredDuringSchedulingIgnoredDuringExecution().withNodeSelectorTerms(terms).endRequiredDuringSchedulingIgnoredDuringExecution()
        .endNodeAffinity().endAffinity().build();
  }

  private static NodeSelectorTerm term(NodeSelectorRequirement... expressions) {
    return new NodeSelectorTermBuilder().withMatchExpressions(expressions).build();
  }

  private static NodeSelectorRequirement expression(String key, String operator, String... values) {
    return new NodeSelectorRequirement(key, operator, List.of(values));
  }
}
