package dev.capstan.core.placement;

/**
 * Best-fit: the node with the least CPU and GPU left once the pod is on it, each normalised by the
 * largest node spec (128 cores, 8 GPUs) and weighted one half; scored {@code (1 - left) * 100},
 * truncated to an integer as the authors' plugin does.
 */
public final class BestFit implements PlacementPolicy {
  static final double MAX_CPU_MILLI = 128_000;
  static final double MAX_GPU_MILLI = 8_000;

  @Override
  public String name() {
    return "bestfit";
  }

  @Override
  public double score(NodeState node, PodRequest pod) {
    double left = 0.5 * (node.cpuLeft() - pod.cpuMilli()) / MAX_CPU_MILLI
        + 0.5 * (node.totalGpuLeft() - pod.totalGpuMilli()) / MAX_GPU_MILLI;
    return (long) ((1 - left) * 100);
  }
}
