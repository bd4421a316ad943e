package dev.capstan.api.queue;

/** How a queue orders and blocks its pending workloads (Kueue's queueingStrategy). */
public enum QueueingStrategy {
  /** Only the head (highest priority, then oldest) may be admitted; it blocks everything behind it. */
  StrictFIFO,
  /** The head is tried first; one that cannot be admitted lets the ones behind it try. */
  BestEffortFIFO
}
