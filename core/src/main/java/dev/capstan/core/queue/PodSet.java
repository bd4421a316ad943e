package dev.capstan.core.queue;

/** {@code count} identical pods (replicas) of a workload, each asking for {@code perPod}. */
public record PodSet(String name, int count, ResourceList perPod) {
  public ResourceList total() {
    return perPod.times(count);
  }
}
