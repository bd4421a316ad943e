package dev.capstan.core.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The fragmentation measure and the target workload, on cases worked out by hand. */
class FragmentationTest {
  private static final GpuNode FOUR_GPUS = new GpuNode("n", 32_000, 131_072, 4, "T4");
  private static final PodRequest CPU_TASK = PodRequest.cpuOnly(2_000, 1_024);
  private static final PodRequest WHOLE_TASK = PodRequest.wholeGpus(4_000, 1_024, 1);
  private static final PodRequest SHARE_TASK = PodRequest.gpuShare(2_000, 1_024, 600);

  /** Half CPU tasks, a quarter 1-GPU tasks, a quarter 600-milli shares. */
  private static Fragmentation mixed() {
    return new Fragmentation(new TargetWorkload(List.of(new TargetWorkload.Shape(CPU_TASK, 0.5),
        new TargetWorkload.Shape(WHOLE_TASK, 0.25), new TargetWorkload.Shape(SHARE_TASK, 0.25))));
  }

  /**
   * GPUs left [1000, 700, 300, 0], 2000 idle. A CPU task can use none of it: 2000. A 1-GPU task
   * fits on the free GPU, so the 1000 on the others is fragment. A 600 share fits (two GPUs have
   * 600), so only the 300 is. 0.5 * 2000 + 0.25 * 1000 + 0.25 * 300 = 1325.
   */
  @Test
  void expectedFragmentOverTheTaskSizes() {
    assertEquals(1325, mixed().of(NodeState.of(FOUR_GPUS, 8_000, 100_000, 1000, 700, 300, 0)), 1e-9);
  }

  /** With 3000 mCPU left a 1-GPU task (4000) fits nowhere: all 2000 idle is fragment for it. */
  @Test
  void aTaskTheNodeCannotHostLeavesAllIdleGpuAsFragment() {
    assertEquals(0.5 * 2000 + 0.25 * 2000 + 0.25 * 300,
        mixed().of(NodeState.of(FOUR_GPUS, 3_000, 100_000, 1000, 700, 300, 0)), 1e-9);
  }

  @Test
  void aGpuModelTheTaskRefusesIsAllFragment() {
    Fragmentation onlyA100 = new Fragmentation(TargetWorkload.of(List.of(WHOLE_TASK.onModels(Set.of("A100")))));
    assertEquals(4000, onlyA100.of(NodeState.idle(FOUR_GPUS)), 1e-9);
    Fragmentation onT4 = new Fragmentation(TargetWorkload.of(List.of(WHOLE_TASK.onModels(Set.of("A100", "T4")))));
    assertEquals(0, onT4.of(NodeState.idle(FOUR_GPUS)), 1e-9);
  }

  @Test
  void aNodeWithoutIdleGpuHasNoFragment() {
    assertEquals(0, mixed().of(NodeState.idle(new GpuNode("cpu", 8_000, 1_024, 0, null))), 1e-9);
    assertEquals(0, mixed().of(NodeState.of(FOUR_GPUS, 8_000, 100_000, 0, 0, 0, 0)), 1e-9);
  }

  @Test
  void theValueDependsOnTheGpusLeftNotTheirOrder() {
    Fragmentation f = mixed();
    double one = f.of(NodeState.of(FOUR_GPUS, 8_000, 100_000, 1000, 700, 300, 0));
    assertEquals(one, f.of(NodeState.of(FOUR_GPUS, 8_000, 100_000, 0, 300, 1000, 700)), 1e-9);
    NodeState node = NodeState.of(FOUR_GPUS, 8_000, 100_000, 1000, 700, 300, 0);
    assertEquals(f.of(node.place(SHARE_TASK, new int[] {1})), f.after(node, SHARE_TASK, new int[] {1}), 1e-9);
    assertEquals(f.of(node) + f.of(NodeState.idle(FOUR_GPUS)), f.ofCluster(List.of(node, NodeState.idle(FOUR_GPUS))), 1e-9);
  }

  /** 20 tasks: 10 of A, 6 of B, 3 of C, 1 of D; 95 % is 19 tasks, so D is dropped; memory is not a dimension. */
  @Test
  void theTargetWorkloadKeepsTheSizesCovering95Percent() {
    List<PodRequest> tasks = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      tasks.add(PodRequest.wholeGpus(4_000, i * 1_000L, 1));
    }
    for (int i = 0; i < 6; i++) {
      tasks.add(PodRequest.gpuShare(2_000, 1_024, 500));
    }
    for (int i = 0; i < 3; i++) {
      tasks.add(PodRequest.cpuOnly(8_000, 1_024));
    }
    tasks.add(PodRequest.wholeGpus(64_000, 1_024, 8));
    TargetWorkload target = TargetWorkload.of(tasks);
    assertEquals(3, target.shapes().size());
    assertEquals(10.0 / 19, target.shapes().get(0).share(), 1e-9);
    assertEquals(6.0 / 19, target.shapes().get(1).share(), 1e-9);
    assertEquals(3.0 / 19, target.shapes().get(2).share(), 1e-9);
    assertEquals(1, target.shapes().get(0).size().gpuCount());
  }

  @Test
  void sharesMustSumToOne() {
    assertThrows(IllegalArgumentException.class,
        () -> new TargetWorkload(List.of(new TargetWorkload.Shape(CPU_TASK, 0.5))));
  }
}
