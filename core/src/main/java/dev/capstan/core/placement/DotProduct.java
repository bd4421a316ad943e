package dev.capstan.core.placement;

/**
 * Dot-product (Tetris): the node whose free CPU and GPU, normalised by the largest node spec, have
 * the smallest dot product with the pod's request, as the authors' plugin configures it for the
 * experiment (GPU dimensions merged, normalised by the maximum spec). Scored
 * {@code (1 - dot / 2) * 100}, truncated.
 */
public final class DotProduct implements PlacementPolicy {
  @Override
  public String name() {
    return "dotprod";
  }

  @Override
  public double score(NodeState node, PodRequest pod) {
    double dot = node.cpuLeft() / BestFit.MAX_CPU_MILLI * (pod.cpuMilli() / BestFit.MAX_CPU_MILLI)
        + node.totalGpuLeft() / BestFit.MAX_GPU_MILLI * (pod.totalGpuMilli() / BestFit.MAX_GPU_MILLI);
    return (long) ((1 - dot / 2) * 100);
  }
}
