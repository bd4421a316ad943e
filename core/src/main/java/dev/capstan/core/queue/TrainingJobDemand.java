package dev.capstan.core.queue;

import dev.capstan.api.training.ReplicaGroup;
import dev.capstan.api.training.TrainingJobModel;

/** A training job's whole-gang demand: each group's pod request times its replica count. */
public final class TrainingJobDemand {
  private TrainingJobDemand() {}

  public static ResourceAmounts of(TrainingJobModel job) {
    ResourceAmounts total = ResourceAmounts.ZERO;
    for (ReplicaGroup g : job.groups()) {
      total = total.plus(ResourceAmounts.of(g.template()).times(g.count()));
    }
    return total;
  }
}
