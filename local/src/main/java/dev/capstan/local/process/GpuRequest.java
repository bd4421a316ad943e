package dev.capstan.local.process;

import dev.capstan.api.training.ReplicaGroup;
import dev.capstan.core.queue.ResourceAmounts;

/** How many GPUs one replica of a group asks for. */
final class GpuRequest {
  private GpuRequest() {}

  static long of(ReplicaGroup group) {
    return ResourceAmounts.of(group.template()).gpus();
  }
}
