package dev.capstan.core.placement;

import java.util.Set;

/**
 * What one pod asks of a node: CPU (millicores), memory (MiB) and GPUs, either {@code gpuCount}
 * whole GPUs ({@code gpuMilli} 1000) or one share of a GPU ({@code gpuCount} 1, {@code gpuMilli}
 * below 1000). {@code gpuModels} lists the GPU models the pod accepts; empty accepts any.
 */
public record PodRequest(long cpuMilli, long memoryMib, int gpuCount, int gpuMilli, Set<String> gpuModels) {
  /** One GPU, in milli-GPU. */
  public static final int MILLI = 1000;
  /** The most GPUs one pod may ask for; no node in a trace has more. */
  public static final int MAX_GPUS = 64;

  public PodRequest {
    gpuModels = Set.copyOf(gpuModels);
    if (cpuMilli < 0 || memoryMib < 0) {
      throw new IllegalArgumentException("cpu and memory must not be negative");
    }
    if (gpuCount < 0 || gpuCount > MAX_GPUS) {
      throw new IllegalArgumentException("gpu count must be 0.." + MAX_GPUS + ", not " + gpuCount);
    }
    if (gpuCount == 0 && gpuMilli != 0) {
      throw new IllegalArgumentException("a pod without GPUs asks for no milli-GPU");
    }
    if (gpuCount > 0 && (gpuMilli < 1 || gpuMilli > MILLI)) {
      throw new IllegalArgumentException("gpu milli must be 1.." + MILLI + ", not " + gpuMilli);
    }
    if (gpuCount > 1 && gpuMilli != MILLI) {
      throw new IllegalArgumentException("a share of a GPU is asked with one GPU, not " + gpuCount);
    }
  }

  public static PodRequest cpuOnly(long cpuMilli, long memoryMib) {
    return new PodRequest(cpuMilli, memoryMib, 0, 0, Set.of());
  }

  public static PodRequest wholeGpus(long cpuMilli, long memoryMib, int gpus) {
    return new PodRequest(cpuMilli, memoryMib, gpus, MILLI, Set.of());
  }

  public static PodRequest gpuShare(long cpuMilli, long memoryMib, int milli) {
    return new PodRequest(cpuMilli, memoryMib, 1, milli, Set.of());
  }

  public PodRequest onModels(Set<String> models) {
    return new PodRequest(cpuMilli, memoryMib, gpuCount, gpuMilli, models);
  }

  public boolean wantsGpu() {
    return gpuCount > 0;
  }

  /** A share of one GPU, which other shares may sit beside. */
  public boolean isGpuShare() {
    return gpuCount == 1 && gpuMilli < MILLI;
  }

  public long totalGpuMilli() {
    return (long) gpuCount * gpuMilli;
  }

  /** Whether a node with GPUs of {@code model} ({@code ""} for none) can serve this pod's GPUs. */
  public boolean accepts(String model) {
    if (!wantsGpu() || gpuModels.isEmpty()) {
      return true;
    }
    return gpuModels.contains(model);
  }

  /** The kind of GPU request, as GPU clustering groups pods: none, a share, or N whole GPUs. */
  public String gpuKind() {
    if (!wantsGpu()) {
      return "no-gpu";
    }
    return isGpuShare() ? "share-gpu" : gpuCount + "-gpu";
  }
}
