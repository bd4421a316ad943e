package dev.capstan.core.placement;

/** A node's capacity: CPU (millicores), memory (MiB) and {@code gpuCount} GPUs of one model. */
public record GpuNode(String name, long cpuMilli, long memoryMib, int gpuCount, String gpuModel) {
  public GpuNode {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("a node needs a name");
    }
    if (cpuMilli < 0 || memoryMib < 0) {
      throw new IllegalArgumentException("node " + name + ": cpu and memory must not be negative");
    }
    if (gpuCount < 0 || gpuCount > PodRequest.MAX_GPUS) {
      throw new IllegalArgumentException("node " + name + ": gpu count must be 0.." + PodRequest.MAX_GPUS);
    }
    gpuModel = gpuCount == 0 || gpuModel == null ? "" : gpuModel;
  }
}
