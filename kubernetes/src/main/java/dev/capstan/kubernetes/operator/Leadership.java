package dev.capstan.kubernetes.operator;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this operator process may reconcile: true while it holds the Lease, and for good once it
 * has lost it. A leader that loses the Lease steps down at once: no pass starts after that, even
 * in a process configured not to exit (JOSDK keeps dispatching events there), and the writes of a
 * pass already under way meet optimistic-concurrency conflicts instead of undoing the new
 * leader's work. Without leader election the process always leads.
 *
 * <p>A leader that was frozen (a long GC pause, a stopped VM) past its Lease learns it lost only
 * at its next renewal, and could start a pass on a fresh cache before that. So a leader confirms
 * from the Lease itself, at most once per renewal period of its own clock, that it still holds it
 * before a pass starts; a Lease held by another steps it down at once, and a Lease that cannot be
 * read fails the pass, which is then retried.
 */
public final class Leadership implements BooleanSupplier {
  private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);

  private final AtomicBoolean leading;
  private final AtomicBoolean lost = new AtomicBoolean();
  private volatile String identity;
  private volatile Supplier<Optional<String>> leaseHolder;
  private volatile long confirmEveryNanos;
  private volatile long confirmedAt;

  private Leadership(boolean leading) {
    this.leading = new AtomicBoolean(leading);
  }

  /** For a process that takes part in leader election: not leading until it acquires the Lease. */
  public static Leadership elected() {
    return new Leadership(false);
  }

  /** For a process without leader election. */
  public static Leadership always() {
    return new Leadership(true);
  }

  /**
   * Confirms the lead from the Lease before a pass when the last confirmation is older than
   * {@code every}: {@code holder} reads the Lease's holder identity from the API server.
   */
  void confirmWith(String identity, Duration every, Supplier<Optional<String>> holder) {
    this.identity = identity;
    this.confirmEveryNanos = every.toNanos();
    this.confirmedAt = System.nanoTime() - confirmEveryNanos;
    this.leaseHolder = holder;
  }

  /** True while this process leads and has never lost the lead (confirmed from the Lease when due). */
  @Override
  public boolean getAsBoolean() {
    if (!leading.get() || lost.get()) {
      return false;
    }
    Supplier<Optional<String>> holder = leaseHolder;
    long now = System.nanoTime();
    if (holder == null || now - confirmedAt < confirmEveryNanos) {
      return true;
    }
    Optional<String> current = holder.get(); // an API error fails the pass, which is retried
    if (!current.equals(Optional.of(identity))) {
      stepDown("the Lease is held by " + current.orElse("no one"));
      return false;
    }
    confirmedAt = now;
    return true;
  }

  public boolean steppedDown() {
    return lost.get();
  }

  private void stepDown(String why) {
    if (!lost.getAndSet(true)) {
      LOG.warn("operator {}: {}, stepping down (no further passes)", identity, why);
    }
    leading.set(false);
  }

  LeaderCallbacks callbacks(String identity) {
    this.identity = identity;
    return new LeaderCallbacks(
        () -> {
          if (!lost.get()) {
            leading.set(true);
            LOG.info("operator {}: leading", identity);
          }
        },
        () -> stepDown("lost the lease"),
        leader -> LOG.info("operator {}: the leader is {}", identity, leader));
  }
}
