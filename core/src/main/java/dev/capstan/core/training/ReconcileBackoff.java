package dev.capstan.core.training;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Jobs (and InferenceServices) whose reconcile threw, each waiting out its own exponential backoff
 * (1 s doubling to at most 5 min) while the other jobs go on. A new revision of the job (another spec generation, or
 * its deletion) is tried at once. Kept in memory: after a restart a failing job is tried once more.
 */
public final class ReconcileBackoff {
  static final Duration FIRST = Duration.ofSeconds(1);
  static final Duration MAX = Duration.ofMinutes(5);

  private record Failure(String revision, int count, Instant retryAt) {}

  private final Map<String, Failure> failures = new HashMap<>();

  /** Whether the job must not be reconciled yet: it failed at this revision and its backoff runs. */
  public boolean waiting(String key, String revision, Instant now) {
    Failure f = failures.get(key);
    return f != null && f.revision().equals(revision) && now.isBefore(f.retryAt());
  }

  /** Counts a failure; returns the failure's number (1 for the first in a row) and sets its retry time. */
  public int failed(String key, String revision, Instant now) {
    Failure previous = failures.get(key);
    int count = previous == null || !previous.revision().equals(revision) ? 1 : previous.count() + 1;
    failures.put(key, new Failure(revision, count, now.plus(delay(count))));
    return count;
  }

  /** Forgets the job's failures; true if it had any. */
  public boolean succeeded(String key) {
    return failures.remove(key) != null;
  }

  /** Drops jobs that are gone. */
  public void retainOnly(Set<String> keys) {
    failures.keySet().retainAll(keys);
  }

  public Optional<Duration> untilNextRetry(Instant now) {
    return failures.values().stream().map(f -> Duration.between(now, f.retryAt()))
        .map(d -> d.isNegative() ? Duration.ZERO : d).min(Duration::compareTo);
  }

  public static Duration delay(int failures) {
    int doublings = Math.min(failures - 1, 20);
    Duration d = FIRST.multipliedBy(1L << doublings);
    return d.compareTo(MAX) > 0 ? MAX : d;
  }
}
