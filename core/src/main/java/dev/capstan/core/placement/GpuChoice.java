package dev.capstan.core.placement;

import java.util.random.RandomGenerator;

/**
 * Which GPUs of a chosen node a pod takes. A share goes to one GPU with enough milli-GPU left; whole
 * GPUs are the lowest-numbered fully free ones.
 */
public final class GpuChoice {
  private static final int[] NONE = new int[0];

  private GpuChoice() {}

  /** A share on the GPU with the least milli-GPU left that still holds it (lowest index on ties). */
  public static int[] tightest(NodeState node, PodRequest pod) {
    if (!pod.isGpuShare()) {
      return whole(node, pod);
    }
    int best = -1;
    for (int d = 0; d < node.gpuCount(); d++) {
      int left = node.gpuLeft(d);
      if (left >= pod.gpuMilli() && (best < 0 || left < node.gpuLeft(best))) {
        best = d;
      }
    }
    return new int[] {best};
  }

  /** A share on a GPU drawn uniformly among those that hold it. */
  public static int[] random(NodeState node, PodRequest pod, RandomGenerator random) {
    if (!pod.isGpuShare()) {
      return whole(node, pod);
    }
    int chosen = -1;
    int seen = 0;
    for (int d = 0; d < node.gpuCount(); d++) {
      if (node.gpuLeft(d) >= pod.gpuMilli() && random.nextInt(++seen) == 0) {
        chosen = d;
      }
    }
    return new int[] {chosen};
  }

  /** Whole GPUs (or none): the lowest-numbered fully free devices. */
  public static int[] whole(NodeState node, PodRequest pod) {
    return pod.wantsGpu() ? node.firstFreeGpus(pod.gpuCount()) : NONE;
  }
}
