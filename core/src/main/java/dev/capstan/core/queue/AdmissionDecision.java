package dev.capstan.core.queue;

/** Whether a workload may start now, must wait, or can never fit. */
public sealed interface AdmissionDecision {
  record Admitted() implements AdmissionDecision {}

  /** Does not fit in free capacity now; {@code reason} says what is short. */
  record Waiting(String reason) implements AdmissionDecision {}

  /** Larger than the whole capacity: it would wait forever. */
  record Rejected(String reason) implements AdmissionDecision {}

  static AdmissionDecision admitted() {
    return new Admitted();
  }
}
