package dev.capstan.core.placement;

/**
 * GPU packing: prefer a share on a GPU already in use (the fuller the better), then free GPUs on a
 * node already in use, then an idle node (the fewer GPUs the better). Pods without GPUs score the
 * same everywhere. Integer scores in the authors' bands: [50, 100], [33, 50], [0, 33].
 */
public final class GpuPacking implements PlacementPolicy {
  @Override
  public String name() {
    return "packing";
  }

  @Override
  public double score(NodeState node, PodRequest pod) {
    if (!pod.wantsGpu()) {
      return 0;
    }
    int free = node.fullyFreeGpus();
    if (free == node.gpuCount()) {
      return Math.max(33 - free, free);
    }
    if (!pod.isGpuShare()) {
      return Math.max(50 - pod.gpuCount(), 33);
    }
    int left = node.gpuLeft(GpuChoice.tightest(node, pod)[0]);
    if (left == PodRequest.MILLI) {
      return Math.max(50 - 1, 33);
    }
    return Math.max(100 - (left * 100L / PodRequest.MILLI) / 10, 50);
  }
}
