package dev.capstan.core.serving;

/** Reasons on InferenceService conditions. Decisions read these, never the message text. */
public enum ServingReason {
  /** The condition holds. */
  Ready,
  /** The latest revision's first replica is starting. */
  RevisionStarting,
  /** The latest revision cannot become ready; the revision's lastFailure says why. */
  RevisionFailed,
  /** No revision is ready to take traffic. */
  NoReadyRevision,
  /** The gateway routes the service. */
  Routed,
  /** The gateway has no route for the service yet. */
  NotRouted,
  /** The latest revision takes every request. */
  RolledOut,
  /** The latest revision takes its canary share; the rolled-out one the rest. */
  CanaryInProgress,
  /** canaryTrafficPercent is 0: the rolled-out revision takes every request. */
  RolledBack,
  /** The spec is invalid; what runs keeps running as it was. */
  InvalidSpec,
  /** The model source could not be resolved (an unknown registry model, version or alias). */
  SourceUnresolved,
  /** The service has used every revision number. */
  RevisionLimit,
  /** A reconcile of the service threw; it is retried with backoff while the other services go on. */
  ReconcileError,
  /** A pass over the service worked again after a ReconcileError. */
  Reconciled
}
