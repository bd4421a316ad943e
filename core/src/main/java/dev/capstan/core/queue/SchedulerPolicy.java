package dev.capstan.core.queue;

/**
 * Settings of the scheduler as a whole. {@code oversizedGang}: a gang larger than the whole
 * capacity is rejected (one machine: it can never fit) or waits (a cluster that may grow).
 * {@code fairSharing}: heads of queues in a cohort are taken by lowest weighted dominant resource
 * share first; off, by whether they borrow, then priority, then age (Kueue's default).
 */
public record SchedulerPolicy(OversizedGang oversizedGang, boolean fairSharing) {
  public enum OversizedGang { Reject, Wait }

  /** One machine: what can never fit is rejected at once. */
  public static final SchedulerPolicy LOCAL = new SchedulerPolicy(OversizedGang.Reject, true);
  /** A cluster: nodes come and go, so an oversized gang waits. */
  public static final SchedulerPolicy CLUSTER = new SchedulerPolicy(OversizedGang.Wait, true);
}
