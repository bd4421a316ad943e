package dev.capstan.core.queue;

import java.util.List;

/** What the scheduler decided for one workload: run, wait, never, or stop because it was preempted. */
public sealed interface AdmissionDecision {
  /** Holds quota in {@code queue}; its replicas may run. */
  record Admitted(String queue) implements AdmissionDecision {
    public Admitted() {
      this(dev.capstan.api.queue.QueueModel.DEFAULT);
    }
  }

  /** Waits in {@code queue} at {@code position} (1 is next); {@code shortfalls} say what is missing. */
  record Waiting(String queue, int position, List<Shortfall> shortfalls) implements AdmissionDecision {
    /** A wait worked out outside the scheduler, with its reason in words (the cluster adapter's pod check). */
    public Waiting(String reason) {
      this("", 0, List.of(Shortfall.about(Shortfall.Kind.Unschedulable, reason)));
    }

    public String reason() {
      return shortfalls.isEmpty() ? "waiting for capacity" : String.join("; ", shortfalls.stream().map(Shortfall::message).toList());
    }
  }

  /** Can never be admitted as the policy stands (larger than the whole capacity). */
  record Rejected(List<Shortfall> shortfalls) implements AdmissionDecision {
    /** A refusal worked out outside the scheduler, with its reason in words. */
    public Rejected(String reason) {
      this(List.of(Shortfall.about(Shortfall.Kind.Unschedulable, reason)));
    }

    public String reason() {
      if (shortfalls.stream().allMatch(s -> s.kind() == Shortfall.Kind.ExceedsCapacity)) {
        return "the job needs more than this machine has in all: " + String.join(", ", shortfalls.stream().map(Shortfall::amounts).toList());
      }
      return String.join("; ", shortfalls.stream().map(Shortfall::message).toList());
    }
  }

  /** Was admitted, and must stop (its replicas get their grace period): {@code eviction} says who and why. */
  record Preempted(String queue, Eviction eviction) implements AdmissionDecision {}

  static AdmissionDecision admitted() {
    return new Admitted();
  }
}
