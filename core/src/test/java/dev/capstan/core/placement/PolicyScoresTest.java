package dev.capstan.core.placement;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Each policy's score on small hand-made nodes, worked out by hand from the authors' plugins. */
class PolicyScoresTest {
  private static final GpuNode TWO_GPUS = new GpuNode("two", 64_000, 262_144, 2, "T4");
  private static final GpuNode EIGHT_GPUS = new GpuNode("eight", 96_000, 393_216, 8, "G2");
  private static final PodRequest ONE_GPU = PodRequest.wholeGpus(8_000, 16_384, 1);
  private static final PodRequest TWO_WHOLE = PodRequest.wholeGpus(8_000, 16_384, 2);
  private static final PodRequest HALF = PodRequest.gpuShare(4_000, 8_192, 500);
  private static final PodRequest CPU = PodRequest.cpuOnly(4_000, 8_192);

  @Test
  void bestFitScoresWhatIsLeftAfterThePod() {
    // left = 0.5 * 56000/128000 + 0.5 * 1000/8000 = 0.28125 -> (1 - 0.28125) * 100 = 71.875 -> 71
    assertEquals(71, new BestFit().score(NodeState.idle(TWO_GPUS), ONE_GPU));
    // a fuller node leaves less: cpu 16000 left, GPUs [1000, 0]: 0.5 * 8000/128000 + 0 = 0.03125 -> 96
    assertEquals(96, new BestFit().score(NodeState.of(TWO_GPUS, 16_000, 100_000, 1000, 0), ONE_GPU));
  }

  @Test
  void dotProductPrefersTheSmallestProductOfFreeAndAsked() {
    // dot = 64000/128000 * 8000/128000 + 2000/8000 * 1000/8000 = 0.0625 -> (1 - 0.03125) * 100 -> 96
    assertEquals(96, new DotProduct().score(NodeState.idle(TWO_GPUS), ONE_GPU));
    // 8-GPU idle node: 96000/128000 * 0.0625 + 1 * 0.125 = 0.171875 -> (1 - 0.0859375) * 100 -> 91
    assertEquals(91, new DotProduct().score(NodeState.idle(EIGHT_GPUS), ONE_GPU));
  }

  @Test
  void gpuPackingBandsSharedThenUsedNodeThenIdleNode() {
    GpuPacking packing = new GpuPacking();
    assertEquals(25, packing.score(NodeState.idle(EIGHT_GPUS), HALF), "idle node: 33 - 8");
    assertEquals(31, packing.score(NodeState.idle(TWO_GPUS), HALF), "idle node: 33 - 2");
    NodeState used = NodeState.of(EIGHT_GPUS, 90_000, 300_000, 600, 1000, 1000, 1000, 1000, 1000, 1000, 1000);
    assertEquals(94, packing.score(used, HALF), "a share on a GPU with 60 % left: 100 - 60 / 10");
    assertEquals(48, packing.score(used, TWO_WHOLE), "two free GPUs on a used node: 50 - 2");
    NodeState noRoomOnShared = NodeState.of(EIGHT_GPUS, 90_000, 300_000, 300, 1000, 1000, 1000, 1000, 1000, 1000, 1000);
    assertEquals(49, packing.score(noRoomOnShared, HALF), "the share needs a free GPU: 50 - 1");
    assertEquals(0, packing.score(used, CPU), "no GPU asked: the same everywhere");
  }

  @Test
  void gpuClusteringKeepsOneKindTogether() {
    GpuClustering clustering = new GpuClustering();
    NodeState sharesOnly = NodeState.of(EIGHT_GPUS, 90_000, 300_000, 0, 0, 0, 0, 1000, 1000, 1000, 1000)
        .withPodsOfKind("share-gpu", 8);
    assertEquals(12 + 75, clustering.score(sharesOnly, HALF), "25 * 4000/8000 = 12, only its kind");
    assertEquals(12 + 50, clustering.score(sharesOnly.withPodsOfKind("1-gpu", 1), HALF), "its kind among others");
    assertEquals(0 + 25, clustering.score(NodeState.idle(EIGHT_GPUS), HALF), "idle node");
    NodeState others = NodeState.of(EIGHT_GPUS, 90_000, 300_000, 0, 0, 0, 0, 0, 0, 1000, 1000).withPodsOfKind("1-gpu", 6);
    assertEquals(18, clustering.score(others, HALF), "25 * 6000/8000 = 18, other kinds only");
    assertEquals(0, clustering.score(others, CPU));
  }

  @Test
  void randomFitScoresAllAlikeAndDrawsUniformly() {
    RandomFit random = new RandomFit();
    assertEquals(0, random.score(NodeState.idle(TWO_GPUS), ONE_GPU));
    assertEquals(PlacementPolicy.TieBreak.UNIFORM, random.tieBreak());
    List<NodeState> nodes = List.of(NodeState.idle(TWO_GPUS), NodeState.idle(TWO_GPUS), NodeState.idle(TWO_GPUS));
    int[] hits = new int[3];
    SplittableRandom rng = new SplittableRandom(7);
    Placer placer = new Placer(random);
    for (int i = 0; i < 3000; i++) {
      hits[placer.place(nodes, ONE_GPU, rng).orElseThrow().node()]++;
    }
    for (int h : hits) {
      assertEquals(1000, h, 150, "each of three equal nodes is drawn about a third of the time");
    }
  }

  /**
   * Target workload: only 1-GPU tasks. Node A has GPUs [1000, 500]: a whole-GPU task fits, so only
   * the 500 left is fragment. A share of 500 on GPU 1 leaves [1000, 0] (fragment 0, growth -500,
   * score trunc(100 / (1 + e^-0.5)) = 62); on GPU 0 it leaves [500, 500] (no whole GPU: all 1000
   * is fragment, growth +500, score 37). Node B, idle, grows by 500 whatever GPU: 37.
   */
  @Test
  void fgdPlacesWhereFragmentationGrowsLeast() {
    TargetWorkload oneGpuTasks = TargetWorkload.of(List.of(PodRequest.wholeGpus(1_000, 0, 1)));
    FragmentationGradientDescent fgd = new FragmentationGradientDescent(oneGpuTasks);
    NodeState a = NodeState.of(TWO_GPUS, 60_000, 200_000, 1000, 500);
    NodeState b = NodeState.idle(TWO_GPUS);
    assertEquals(62, fgd.score(a, HALF));
    assertArrayEquals(new int[] {1}, fgd.chooseGpus(a, HALF, null));
    assertEquals(37, fgd.score(b, HALF));
    assertEquals(-500, fgd.growth(a, HALF), 1e-9);
    Placement chosen = new Placer(fgd).place(List.of(b, a), HALF, null).orElseThrow();
    assertEquals(new Placement(1, new int[] {1}), chosen);
    Placement capstan = new Placer(new CapstanPlacement(oneGpuTasks)).place(List.of(b, a), HALF, null).orElseThrow();
    assertEquals(chosen, capstan, "on one pod, Capstan's default decides as FGD does");
  }

  @Test
  void everyPolicyIsNamed() {
    TargetWorkload target = TargetWorkload.of(List.of(ONE_GPU));
    for (String name : PlacementPolicies.names()) {
      assertEquals(name, PlacementPolicies.named(name).create(target).name());
    }
  }
}
