package dev.capstan.core.placement;

/**
 * GPU clustering: keep pods of one GPU kind (a share, or N whole GPUs) together. A node holding only
 * that kind scores in (75, 100], one holding it among others in (50, 75], an idle node in (25, 50],
 * a node holding other kinds in (0, 25]; within a band, the less GPU left the higher. Pods without
 * GPUs score 0 everywhere. Integer arithmetic as in the authors' plugin.
 */
public final class GpuClustering implements PlacementPolicy {
  private static final long MAX_GPU_MILLI = 8_000;

  @Override
  public String name() {
    return "clustering";
  }

  @Override
  public double score(NodeState node, PodRequest pod) {
    if (!pod.wantsGpu()) {
      return 0;
    }
    long fullness = 25 * (MAX_GPU_MILLI - node.totalGpuLeft()) / MAX_GPU_MILLI;
    var kinds = node.gpuKinds();
    if (kinds.getOrDefault(pod.gpuKind(), 0) > 0) {
      return fullness + (kinds.size() == 1 ? 75 : 50);
    }
    return fullness + (kinds.isEmpty() ? 25 : 0);
  }
}
