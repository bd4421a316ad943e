package dev.capstan.core.placement;

import java.util.random.RandomGenerator;

/** Random-fit: any node the pod fits, uniformly; a share goes to a random GPU that holds it. */
public final class RandomFit implements PlacementPolicy {
  @Override
  public String name() {
    return "random";
  }

  @Override
  public double score(NodeState node, PodRequest pod) {
    return 0;
  }

  @Override
  public TieBreak tieBreak() {
    return TieBreak.UNIFORM;
  }

  @Override
  public int[] chooseGpus(NodeState node, PodRequest pod, RandomGenerator random) {
    return GpuChoice.random(node, pod, random);
  }
}
