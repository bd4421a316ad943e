package dev.capstan.core.serving;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Where the gateway sends a revision's share of a service's traffic: its percent (0..100) and its
 * ready replicas. A revision with traffic and no ready replica is at zero: the gateway's activator
 * holds its requests and asks for a scale-up. {@code containerConcurrency} is the most requests
 * one replica takes at once (0: no limit). {@code timeout} is the predictor's request timeout
 * (KServe's {@code timeout}, which Knative applies in front of the replicas too): the gateway waits
 * about that long for a replica's answer; zero when the route does not say, and the gateway's own
 * bound applies.
 */
public record RevisionRoute(RevisionKey key, int percent, List<ReplicaEndpoint> ready, int containerConcurrency, Duration timeout) {
  public RevisionRoute {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(timeout, "timeout");
    if (percent < 0 || percent > 100) {
      throw new IllegalArgumentException("percent out of range: " + percent);
    }
    if (containerConcurrency < 0) {
      throw new IllegalArgumentException("containerConcurrency must not be negative: " + containerConcurrency);
    }
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must not be negative: " + timeout);
    }
    ready = List.copyOf(ready);
  }

  /** A route that leaves the request timeout to the gateway's own bound. */
  public RevisionRoute(RevisionKey key, int percent, List<ReplicaEndpoint> ready, int containerConcurrency) {
    this(key, percent, ready, containerConcurrency, Duration.ZERO);
  }

  /** True when requests for this revision must wait for a replica to start. */
  public boolean atZero() {
    return ready.isEmpty();
  }
}
