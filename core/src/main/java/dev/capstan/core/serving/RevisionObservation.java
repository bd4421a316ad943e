package dev.capstan.core.serving;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a backend sees of one revision: the replicas it was last told to run, those ready and
 * where they listen, and why the revision cannot become ready, if it cannot.
 */
public record RevisionObservation(RevisionKey key, int desiredReplicas, int readyReplicas, List<ReplicaEndpoint> endpoints,
    Optional<RevisionFailure> failure) {
  public RevisionObservation {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(failure, "failure");
    endpoints = List.copyOf(endpoints);
    if (desiredReplicas < 0 || readyReplicas < 0) {
      throw new IllegalArgumentException("replica counts must not be negative");
    }
  }
}
