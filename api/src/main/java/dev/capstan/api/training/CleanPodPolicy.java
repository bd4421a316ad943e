package dev.capstan.api.training;

/** Which replicas are stopped once the job has finished. */
public enum CleanPodPolicy {
  /** Stop every replica. */
  All,
  /** Stop the replicas still running (e.g. parameter servers); the default. */
  Running,
  /** Leave every replica as it is. */
  None
}
