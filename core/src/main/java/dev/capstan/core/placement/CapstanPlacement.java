package dev.capstan.core.placement;

import java.util.random.RandomGenerator;

/**
 * Capstan's default GPU placement: FGD's rule, place where expected fragmentation grows least, with
 * the growth compared exactly rather than through FGD's integer score (which maps every growth
 * within about 40 milli-GPU of another to the same score and leaves the choice to chance). Among
 * GPUs of equal growth a share takes the tightest one; among nodes of equal growth the placer draws
 * at random, which then only picks between nodes in the same state.
 */
public final class CapstanPlacement implements PlacementPolicy {
  private final Fragmentation fragmentation;

  public CapstanPlacement(TargetWorkload target) {
    this.fragmentation = new Fragmentation(target);
  }

  @Override
  public String name() {
    return "capstan";
  }

  @Override
  public double score(NodeState node, PodRequest pod) {
    double before = fragmentation.of(node);
    return before - fragmentation.of(node.place(pod, chooseGpus(node, pod, null)));
  }

  @Override
  public int[] chooseGpus(NodeState node, PodRequest pod, RandomGenerator random) {
    if (!pod.isGpuShare()) {
      return GpuChoice.whole(node, pod);
    }
    int best = -1;
    double bestAfter = Double.POSITIVE_INFINITY;
    for (int d = 0; d < node.gpuCount(); d++) {
      int left = node.gpuLeft(d);
      if (left < pod.gpuMilli()) {
        continue;
      }
      double after = fragmentation.of(node.place(pod, new int[] {d}));
      if (after < bestAfter || (after == bestAfter && left < node.gpuLeft(best))) {
        best = d;
        bestAfter = after;
      }
    }
    return new int[] {best};
  }
}
