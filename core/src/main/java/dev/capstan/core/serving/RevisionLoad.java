package dev.capstan.core.serving;

import java.time.Instant;
import java.util.Objects;

/**
 * What the gateway saw of one revision over the last reporting interval (one second): the
 * time-averaged number of requests in flight (waiting in the activator included), the request
 * rate, and how many requests are waiting for a replica right now.
 */
public record RevisionLoad(RevisionKey key, Instant at, double averageConcurrency, double requestsPerSecond, int waiting) {
  public RevisionLoad {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(at, "at");
    if (!(averageConcurrency >= 0) || !(requestsPerSecond >= 0) || waiting < 0) {
      throw new IllegalArgumentException("load figures must be non-negative numbers: " + averageConcurrency + ", "
          + requestsPerSecond + ", " + waiting);
    }
  }
}
