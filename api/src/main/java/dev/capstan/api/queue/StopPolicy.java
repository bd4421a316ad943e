package dev.capstan.api.queue;

/** Whether a queue admits, and keeps what it admitted. */
public enum StopPolicy {
  /** The queue works normally. */
  None,
  /** Nothing new is admitted; admitted workloads keep running. */
  Hold,
  /** Nothing new is admitted, and admitted workloads are evicted. */
  HoldAndDrain
}
