package dev.capstan.kubernetes.placement;

import static dev.capstan.kubernetes.TestingCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.api.codec.Manifests;
import dev.capstan.api.training.ReplicaId;
import dev.capstan.api.training.TrainingJob;
import dev.capstan.api.training.TrainingJobModel;
import dev.capstan.core.placement.CapstanPlacement;
import dev.capstan.core.placement.GangPlacer;
import dev.capstan.core.placement.NodeState;
import dev.capstan.core.placement.Placement;
import dev.capstan.core.placement.PodRequest;
import dev.capstan.core.placement.TargetWorkload;
import dev.capstan.kubernetes.EmittedObjects;
import dev.capstan.kubernetes.Jobs;
import dev.capstan.kubernetes.TestingCluster;
import dev.capstan.kubernetes.training.ReplicaObjects;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * GPU jobs' pods placed by Capstan's placement in cluster mode, against a mock API server in CRUD
 * mode, written as it would run on a real cluster: four 8-GPU nodes, two of them partly used by pods
 * that are not Capstan's, and a CPU node. The leader's cycle records a node per replica with the
 * admission, and each pod requires its node; kube-scheduler (absent here) would bind it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GpuPlacementTest {
  static TestingCluster cluster;

  @BeforeAll
  static void start() {
    cluster = new TestingCluster();
    var client = cluster.client();
    for (String name : List.of("gpu-a", "gpu-b", "gpu-c", "gpu-d")) {
      client.resource(GpuNodes.node(name, "32", "256Gi", 8)).create();
    }
    client.resource(GpuNodes.node("cpu-a", "16", "64Gi", 0)).create();
    client.resource(GpuNodes.boundPod("other", "seven-gpus", "gpu-b", "4", "16Gi", 7)).create();
    client.resource(GpuNodes.boundPod("other", "four-gpus", "gpu-c", "4", "16Gi", 4)).create();
    create("""
        apiVersion: capstan.dev/v1alpha1
        kind: Queue
        metadata: {name: two-gpus}
        spec:
          namespaces: [prio]
          resources:
            cpu: {nominalQuota: "64"}
            nvidia.com/gpu: {nominalQuota: "2"}
          preemption: {withinQueue: LowerPriority}
        """);
    create("""
        apiVersion: capstan.dev/v1alpha1
        kind: Queue
        metadata: {name: held}
        spec:
          namespaces: [ml-held]
          stopPolicy: Hold
          resources:
            cpu: {nominalQuota: "64"}
            nvidia.com/gpu: {nominalQuota: "16"}
        """);
    cluster.launch(true, s -> s.withPlacement(new PlacementSettings(true, Duration.ofSeconds(1))));
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  @Order(1)
  void aOneGpuPodGoesToTheNodeWithSevenOfEightGpusUsedWhenWholeNodeJobsAreExpected() {
    // An 8-GPU job waits in a held queue: the cluster expects 8-GPU and 1-GPU tasks, half each.
    cluster.apply(gpuJob("ml-held", "big", "held", 8, 0, 0, ""));
    cluster.awaitState("ml-held", "big", "Queued");
    cluster.apply(gpuJob("ml", "small", null, 1, 0, 0, ""));
    Pod pod = cluster.awaitPods("ml", 1).get(0);

    // By hand (fragment = GPU an expected task could not use, x its share 0.5):
    //   gpu-a, gpu-d (8 free): 0 before; 7 free after, which no 8-GPU task can use: +3500 -> score 2
    //   gpu-b (1 free): 500 before (the 8-GPU task cannot use it), 0 after: -500 -> score 62
    //   gpu-c (4 free): 2000 before, 1500 after: -500 -> score 62, after gpu-b in name order.
    assertEquals(List.of("gpu-b"), pinnedNodes(pod));
    assertEquals("gpu-b", pod.getMetadata().getAnnotations().get(ReplicaObjects.PLACED_ON));
    assertNull(pod.getSpec().getNodeName(), "kube-scheduler binds it, after checking taints, ports and the rest");
    assertEquals(Map.of("master-0", "gpu-b"), cluster.job("ml", "small").getStatus().getPlacement());
  }

  @Test
  @Order(2)
  void aGangGoesWhereCapstansGangPlacerPutsItOnTheSameNodeStates() {
    cluster.apply(gpuJob("ml", "gang", null, 1, 3, 2, ""));
    List<Pod> pods = awaitJobPods("gang", 4);

    TrainingJob big = cluster.job("ml-held", "big");
    TrainingJob small = cluster.job("ml", "small");
    TrainingJob gang = cluster.job("ml", "gang");
    List<PodRequest> expected = new ArrayList<>();
    for (TrainingJob job : List.of(big, small, gang)) {
      expected.addAll(requests(job));
    }
    // small's pod is pinned to gpu-b and not bound (nothing binds in this test): it is counted there.
    List<NodeState> states = NodeStates.of(cluster.client().nodes().list().getItems(), cluster.client().pods().inAnyNamespace()
        .list().getItems().stream().filter(p -> p.getMetadata().getNamespace().equals("other")).toList(),
        List.of(new NodeStates.Pinned("gpu-b", requests(small).get(0))));
    List<PodRequest> members = requests(gang);
    List<Placement> placed = new GangPlacer(new CapstanPlacement(TargetWorkload.of(expected)))
        .place(states, members, new SplittableRandom(0)).orElseThrow();
    Map<String, String> want = new TreeMap<>();
    List<ReplicaId> replicas = TrainingJobModel.from(gang).replicas();
    for (int i = 0; i < replicas.size(); i++) {
      want.put(replicas.get(i).shortName(), states.get(placed.get(i).node()).node().name());
    }

    assertEquals(want, gang.getStatus().getPlacement());
    for (Pod pod : pods) {
      String replica = pod.getMetadata().getName().substring("gang-".length());
      assertEquals(List.of(want.get(replica)), pinnedNodes(pod), pod.getMetadata().getName());
    }
    assertTrue(want.values().stream().noneMatch(n -> n.equals("gpu-b") || n.equals("cpu-a")), "gpu-b is full, cpu-a has no GPU: " + want);
  }

  @Test
  @Order(3)
  void aJobWithoutGpusIsLeftToKubeScheduler() {
    cluster.apply(Jobs.pytorch("plain", "cpu-only", 1));
    for (Pod pod : cluster.awaitPods("plain", 2)) {
      assertNull(pod.getSpec().getAffinity(), pod.getMetadata().getName());
      assertTrue(pod.getMetadata().getAnnotations() == null || !pod.getMetadata().getAnnotations().containsKey(ReplicaObjects.PLACED_ON));
    }
    assertNull(cluster.job("plain", "cpu-only").getStatus().getPlacement());
  }

  @Test
  @Order(4)
  void aGangThatFitsOnNoNodesIsAdmittedButNotPinned() {
    // No node has this model: the cycle (which counts amounts, not labels) admits, placement finds no node.
    cluster.apply(gpuJob("elsewhere", "h100", null, 1, 0, 0, "nodeSelector: {nvidia.com/gpu.product: NVIDIA-H100-80GB-HBM3}"));
    Pod pod = cluster.awaitPods("elsewhere", 1).get(0);
    assertTrue(pod.getSpec().getAffinity() == null || pod.getSpec().getAffinity().getNodeAffinity() == null, "no pin");
    TrainingJob job = cluster.job("elsewhere", "h100");
    assertTrue(admitted(job));
    assertNull(job.getStatus().getPlacement());
  }

  @Test
  @Order(5)
  void aPinThatCannotBeHonouredIsDroppedAndThePodMadeAgainForKubeScheduler() {
    // kube-scheduler reports the pinned pod unschedulable (someone else took gpu-b's last GPU).
    Pod stuck = cluster.pods("ml").stream().filter(p -> p.getMetadata().getName().equals("small-master-0")).findFirst().orElseThrow();
    cluster.client().pods().inNamespace("ml").withName("small-master-0").editStatus(p -> {
      PodStatus status = p.getStatus() == null ? new PodStatus() : p.getStatus();
      status.setPhase("Pending");
      status.setConditions(List.of(new PodConditionBuilder().withType("PodScheduled").withStatus("False").withReason("Unschedulable")
          .withMessage("0/5 nodes are available: 1 Insufficient nvidia.com/gpu.").withLastTransitionTime(Instant.now().toString()).build()));
      p.setStatus(status);
      return p;
    });
    await(() -> remade("ml", "small-master-0", stuck), () -> "small-master-0 to be made again without its pin: " + pod("ml", "small-master-0"));
    assertNull(cluster.job("ml", "small").getStatus().getPlacement(), "its only pin is dropped");
    assertEquals(List.of(), pinnedNodes(pod("ml", "small-master-0")));

    // A node that goes: the replicas pinned there and not bound are unpinned and made again; one
    // that kube-scheduler bound there (it may have run) keeps its pin and its pod.
    Map<String, String> pins = cluster.job("ml", "gang").getStatus().getPlacement();
    String gone = pins.values().iterator().next();
    String bound = pins.entrySet().stream().filter(e -> e.getValue().equals(gone)).findFirst().orElseThrow().getKey();
    cluster.client().pods().inNamespace("ml").withName("gang-" + bound).edit(p -> {
      p.getSpec().setNodeName(gone);
      return p;
    });
    new dev.capstan.kubernetes.Kubelet(cluster.client()).run(pod("ml", "gang-" + bound));
    Map<String, Pod> before = new TreeMap<>();
    cluster.pods("ml").forEach(p -> before.put(p.getMetadata().getName(), p));
    cluster.client().nodes().withName(gone).delete();
    await(() -> pins.entrySet().stream().filter(e -> e.getValue().equals(gone) && !e.getKey().equals(bound))
            .allMatch(e -> remade("ml", "gang-" + e.getKey(), before.get("gang-" + e.getKey()))),
        () -> "the replicas pinned to " + gone + " to be made again: " + cluster.job("ml", "gang").getStatus().getPlacement());
    Map<String, String> kept = new TreeMap<>(pins);
    kept.entrySet().removeIf(e -> e.getValue().equals(gone) && !e.getKey().equals(bound));
    assertEquals(kept, cluster.job("ml", "gang").getStatus().getPlacement(), "the other pins stay, the bound one's too");
    for (var pin : kept.entrySet()) {
      assertEquals(before.get("gang-" + pin.getKey()).getMetadata().getUid(), pod("ml", "gang-" + pin.getKey()).getMetadata().getUid(),
          "gang-" + pin.getKey() + " is not made again");
    }
  }

  @Test
  @Order(6)
  void aPreemptedJobLosesItsPlacementWithItsAdmissionAndIsPlacedAfreshWhenAdmittedAgain() {
    cluster.apply(gpuJob("prio", "low", null, 2, 0, 0, "").replace("  framework: pytorch\n", "  framework: pytorch\n  priority: 0\n"));
    Pod low = cluster.awaitPods("prio", 1).get(0);
    Map<String, String> first = cluster.job("prio", "low").getStatus().getPlacement();
    assertEquals(List.of(first.get("master-0")), pinnedNodes(low));

    cluster.apply(gpuJob("prio", "high", null, 2, 0, 0, "").replace("  framework: pytorch\n", "  framework: pytorch\n  priority: 100\n"));
    cluster.awaitState("prio", "low", "Queued");
    assertNull(cluster.job("prio", "low").getStatus().getPlacement(), "released with the admission");
    await(() -> cluster.pods("prio").size() == 1 && cluster.pods("prio").get(0).getMetadata().getName().equals("high-master-0"),
        () -> "high's pod alone: " + cluster.pods("prio").stream().map(p -> p.getMetadata().getName()).toList());
    Pod high = cluster.pods("prio").get(0);
    assertEquals(List.of(cluster.job("prio", "high").getStatus().getPlacement().get("master-0")), pinnedNodes(high));

    new dev.capstan.kubernetes.Kubelet(cluster.client()).exit(high, 0);
    cluster.awaitState("prio", "high", "Succeeded");
    await(() -> cluster.pods("prio").stream().anyMatch(p -> p.getMetadata().getName().equals("low-master-0")),
        () -> "low to be admitted again and its pod made");
    Pod again = pod("prio", "low-master-0");
    Map<String, String> second = cluster.job("prio", "low").getStatus().getPlacement();
    assertEquals(List.of(second.get("master-0")), pinnedNodes(again), "placed by the new admission");
    assertNotEquals(low.getMetadata().getUid(), again.getMetadata().getUid());
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void everythingTheOperatorEmittedPassesApiRulesAndRbac() {
    EmittedObjects.verify(cluster);
  }

  /** {@link Jobs#pytorchGpus}, in {@code queue} when one is named, each pod spec with {@code podSpecLine} added. */
  private static String gpuJob(String ns, String name, String queue, int masterGpus, int workers, int workerGpus, String podSpecLine) {
    String job = Jobs.pytorchGpus(ns, name, masterGpus, workers, workerGpus)
        .replace("\n        spec:\n", "\n        spec:\n          " + podSpecLine + "\n");
    return queue == null ? job : job.replace("  framework: pytorch\n", "  framework: pytorch\n  queue: " + queue + "\n");
  }

  private static List<PodRequest> requests(TrainingJob job) {
    TrainingJobModel model = TrainingJobModel.from(job);
    return model.replicas().stream().map(id -> NodeStates.request(model.groupOf(id).template().getSpec())).toList();
  }

  /** The nodes a pod's required node affinity allows by hostname. */
  private static List<String> pinnedNodes(Pod pod) {
    var affinity = pod.getSpec().getAffinity();
    if (affinity == null || affinity.getNodeAffinity() == null
        || affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
      return List.of();
    }
    return affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms().stream()
        .flatMap(t -> t.getMatchExpressions().stream())
        .filter(e -> e.getKey().equals(NodeStates.HOSTNAME_LABEL) && e.getOperator().equals("In"))
        .map(NodeSelectorRequirement::getValues).flatMap(List::stream).toList();
  }

  private static List<Pod> awaitJobPods(String job, int count) {
    TestingCluster.await(() -> cluster.pods("ml").stream().filter(p -> p.getMetadata().getName().startsWith(job + "-")).count() == count,
        () -> count + " pods of " + job);
    return cluster.pods("ml").stream().filter(p -> p.getMetadata().getName().startsWith(job + "-")).toList();
  }

  /** Whether the pod was made again (another uid) with no pin. */
  private static boolean remade(String ns, String name, Pod before) {
    Pod now = pod(ns, name);
    return now != null && !now.getMetadata().getUid().equals(before.getMetadata().getUid()) && pinnedNodes(now).isEmpty()
        && (now.getMetadata().getAnnotations() == null || !now.getMetadata().getAnnotations().containsKey(ReplicaObjects.PLACED_ON));
  }

  private static Pod pod(String ns, String name) {
    return cluster.client().pods().inNamespace(ns).withName(name).get();
  }

  private static boolean admitted(TrainingJob job) {
    return job.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("Admitted") && c.getStatus().equals("True"));
  }

  private static void create(String yaml) {
    HasMetadata object = Manifests.toResource(Manifests.parseDocuments(yaml, "test").get(0));
    cluster.client().resource(object).create();
  }
}
