package dev.capstan.core.placement;

import java.util.random.RandomGenerator;

/**
 * FGD (Fragmentation Gradient Descent, USENIX ATC 2023): place where the cluster's expected
 * fragmentation ({@link Fragmentation}) grows least. A node's score is
 * {@code sigmoid(-growth / 1000) * 100} truncated to an integer, as the authors' plugin scores it;
 * a share goes to the GPU whose choice grows fragmentation least (lowest index on ties).
 */
public final class FragmentationGradientDescent implements PlacementPolicy {
  private final Fragmentation fragmentation;

  public FragmentationGradientDescent(TargetWorkload target) {
    this.fragmentation = new Fragmentation(target);
  }

  @Override
  public String name() {
    return "fgd";
  }

  @Override
  public double score(NodeState node, PodRequest pod) {
    return quantised(leastGrowth(node, pod).growth());
  }

  @Override
  public int[] chooseGpus(NodeState node, PodRequest pod, RandomGenerator random) {
    return leastGrowth(node, pod).gpus();
  }

  static double quantised(double growth) {
    return (long) (100 / (1 + Math.exp(growth / 1000)));
  }

  /** A move and how much it grows the node's fragmentation, in milli-GPU. */
  record Move(int[] gpus, double growth) {}

  /** The cheapest move on the node, comparing shares by their quantised score as the plugin does. */
  private Move leastGrowth(NodeState node, PodRequest pod) {
    double before = fragmentation.of(node);
    if (!pod.isGpuShare()) {
      int[] gpus = GpuChoice.whole(node, pod);
      return new Move(gpus, fragmentation.after(node, pod, gpus) - before);
    }
    Move best = null;
    for (int d = 0; d < node.gpuCount(); d++) {
      if (node.gpuLeft(d) < pod.gpuMilli() || sameLeftEarlier(node, d)) {
        continue;
      }
      int[] gpus = {d};
      double growth = fragmentation.after(node, pod, gpus) - before;
      if (best == null || quantised(growth) > quantised(best.growth())) {
        best = new Move(gpus, growth);
      }
    }
    return best;
  }

  /** Whether a lower-numbered GPU has as much left: choosing it leaves the node in the same state. */
  private static boolean sameLeftEarlier(NodeState node, int device) {
    for (int d = 0; d < device; d++) {
      if (node.gpuLeft(d) == node.gpuLeft(device)) {
        return true;
      }
    }
    return false;
  }

  /** How much placing the pod on the node grows its expected fragmentation, in milli-GPU. */
  public double growth(NodeState node, PodRequest pod) {
    return leastGrowth(node, pod).growth();
  }
}
