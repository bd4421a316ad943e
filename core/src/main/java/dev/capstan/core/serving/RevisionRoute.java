package dev.capstan.core.serving;

import java.util.List;
import java.util.Objects;

/**
 * Where the gateway sends a revision's share of a service's traffic: its percent (0..100) and its
 * ready replicas. A revision with traffic and no ready replica is at zero: the gateway's activator
 * holds its requests and asks for a scale-up. {@code containerConcurrency} is the most requests
 * one replica takes at once (0: no limit).
 */
public record RevisionRoute(RevisionKey key, int percent, List<ReplicaEndpoint> ready, int containerConcurrency) {
  public RevisionRoute {
    Objects.requireNonNull(key, "key");
    if (percent < 0 || percent > 100) {
      throw new IllegalArgumentException("percent out of range: " + percent);
    }
    if (containerConcurrency < 0) {
      throw new IllegalArgumentException("containerConcurrency must not be negative: " + containerConcurrency);
    }
    ready = List.copyOf(ready);
  }

  /** True when requests for this revision must wait for a replica to start. */
  public boolean atZero() {
    return ready.isEmpty();
  }
}
