package dev.capstan.core.placement;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The placement cycle: filtering, ties, GPU choice, and gangs placed all or nothing. */
class PlacerTest {
  private static final GpuNode T4 = new GpuNode("t4", 32_000, 131_072, 2, "T4");
  private static final GpuNode G2 = new GpuNode("g2", 96_000, 393_216, 8, "G2");

  @Test
  void tiesGoToTheFirstNodeInTheSnapshot() {
    List<NodeState> nodes = List.of(NodeState.idle(T4), NodeState.idle(T4), NodeState.idle(T4));
    for (int i = 0; i < 20; i++) {
      assertEquals(0, new Placer(new GpuPacking()).place(nodes, PodRequest.wholeGpus(1_000, 0, 1), null).orElseThrow().node());
    }
  }

  @Test
  void onlyNodesThePodFitsAreScored() {
    NodeState fullCpu = NodeState.of(T4, 0, 131_072, 1000, 1000);
    NodeState fullMemory = NodeState.of(T4, 32_000, 0, 1000, 1000);
    NodeState wrongModel = NodeState.idle(G2);
    NodeState fits = NodeState.of(T4, 10_000, 10_000, 200, 1000);
    PodRequest pod = new PodRequest(1_000, 1_000, 1, 1000, Set.of("T4"));
    var placement = new Placer(new BestFit()).place(List.of(fullCpu, fullMemory, wrongModel, fits), pod, null);
    assertEquals(new Placement(3, new int[] {1}), placement.orElseThrow());
    assertTrue(new Placer(new BestFit()).place(List.of(fullCpu), pod, null).isEmpty());
  }

  @Test
  void aShareTakesTheTightestGpuThatHoldsIt() {
    NodeState node = NodeState.of(G2, 96_000, 393_216, 1000, 300, 600, 550, 1000, 1000, 1000, 1000);
    assertArrayEquals(new int[] {3}, GpuChoice.tightest(node, PodRequest.gpuShare(1_000, 0, 500)));
    assertArrayEquals(new int[] {0, 4}, GpuChoice.tightest(node, PodRequest.wholeGpus(1_000, 0, 2)));
  }

  @Test
  void aGangIsPlacedWholeOrNotAtAll() {
    List<NodeState> nodes = List.of(NodeState.idle(T4), NodeState.idle(G2));
    GangPlacer gangs = new GangPlacer(new BestFit());
    PodRequest four = PodRequest.wholeGpus(8_000, 16_384, 4);
    var two = gangs.place(nodes, List.of(four, four), null).orElseThrow();
    assertEquals(1, two.get(0).node());
    assertEquals(1, two.get(1).node());
    assertTrue(gangs.place(nodes, List.of(four, four, four), null).isEmpty(), "12 GPUs do not fit 10 as 4-GPU pods");
    assertEquals(List.of(NodeState.idle(T4).toString(), NodeState.idle(G2).toString()),
        nodes.stream().map(NodeState::toString).toList(), "the snapshot is not changed");
  }

  @Test
  void requestsOutsideTheirBoundsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> PodRequest.gpuShare(1_000, 0, 1500));
    assertThrows(IllegalArgumentException.class, () -> new PodRequest(1_000, 0, 2, 500, Set.of()));
    assertThrows(IllegalArgumentException.class, () -> new PodRequest(1_000, 0, 0, 500, Set.of()));
    assertThrows(IllegalArgumentException.class, () -> PodRequest.wholeGpus(1_000, 0, PodRequest.MAX_GPUS + 1));
    assertThrows(IllegalArgumentException.class, () -> NodeState.of(T4, 1_000, 1_000, 1000, 1200));
  }
}
