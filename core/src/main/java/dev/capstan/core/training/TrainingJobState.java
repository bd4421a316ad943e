package dev.capstan.core.training;

/** The lifecycle of a TrainingJob. Transitions are decided by {@link TrainingPlanner}. */
public enum TrainingJobState {
  Created("accepted; not yet considered for admission"),
  Queued("waiting for capacity; no replica runs"),
  Starting("admitted; replicas are being started"),
  Running("every replica has started"),
  Restarting("a replica failed and is being started again"),
  Preempted("preempted by a higher-priority workload: replicas write a checkpoint and stop, then the job queues again"),
  Suspended("suspended by the user; no replica runs and no capacity is held"),
  Succeeded("the success policy was met (terminal)"),
  Failed("a permanent failure, backoff limit, deadline or invalid spec (terminal)");

  private final String description;

  TrainingJobState(String description) {
    this.description = description;
  }

  public String description() {
    return description;
  }

  public boolean isTerminal() {
    return this == Succeeded || this == Failed;
  }

  /** Whether a job in this state holds its admitted capacity. */
  public boolean holdsCapacity() {
    return this == Starting || this == Running || this == Restarting || this == Preempted;
  }

  public static TrainingJobState parse(String value) {
    if (value == null) {
      return Created;
    }
    try {
      return valueOf(value);
    } catch (IllegalArgumentException e) {
      return Created;
    }
  }
}
