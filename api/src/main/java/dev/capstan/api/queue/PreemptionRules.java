package dev.capstan.api.queue;

import java.util.OptionalInt;

/**
 * A queue's validated preemption rules (Kueue's semantics): which admitted workloads a pending one
 * may evict in its own queue, to reclaim quota other queues borrowed, and while it borrows itself.
 * {@code borrowThreshold}: victims taken while borrowing have at most this priority (absent: any lower one).
 */
public record PreemptionRules(WithinQueue withinQueue, Reclaim reclaimWithinCohort, BorrowWithinCohort borrowWithinCohort,
    OptionalInt borrowThreshold) {
  public static final PreemptionRules NEVER =
      new PreemptionRules(WithinQueue.Never, Reclaim.Never, BorrowWithinCohort.Never, OptionalInt.empty());

  public enum WithinQueue {
    Never,
    /** A pending workload may evict admitted ones of lower priority in the same queue. */
    LowerPriority
  }

  public enum Reclaim {
    Never,
    /** Evict lower-priority workloads of queues that borrow from the cohort, to get back nominal quota. */
    LowerPriority,
    /** Evict any workload of a queue that borrows from the cohort, to get back nominal quota. */
    Any
  }

  public enum BorrowWithinCohort {
    Never,
    /** A workload that must borrow may evict lower-priority workloads of other queues in the cohort. */
    LowerPriority
  }
}
