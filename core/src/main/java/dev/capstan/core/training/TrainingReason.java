package dev.capstan.core.training;

/** Reasons on TrainingJob conditions. Decisions read these, never the message text. */
public enum TrainingReason {
  JobCreated,
  InsufficientCapacity,
  ExceedsCapacity,
  Admitted,
  ReplicasStarting,
  AllReplicasRunning,
  ReplicaFailed,
  GangRestart,
  JobSucceeded,
  ReplicaFailedPermanently,
  BackoffLimitExceeded,
  DeadlineExceeded,
  InvalidSpec,
  JobSuspended,
  JobResumed
}
