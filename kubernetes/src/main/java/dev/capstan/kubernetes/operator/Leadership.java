package dev.capstan.kubernetes.operator;

import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this operator process may reconcile: true while it holds the Lease, and for good once it
 * has lost it. A leader that loses the Lease steps down at once: no pass starts after that, even
 * in a process configured not to exit (JOSDK keeps dispatching events there), and the writes of a
 * pass already under way meet optimistic-concurrency conflicts instead of undoing the new
 * leader's work. Without leader election the process always leads.
 */
public final class Leadership implements BooleanSupplier {
  private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);

  private final AtomicBoolean leading;
  private final AtomicBoolean lost = new AtomicBoolean();

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

  /** True while this process leads and has never lost the lead. */
  @Override
  public boolean getAsBoolean() {
    return leading.get() && !lost.get();
  }

  public boolean steppedDown() {
    return lost.get();
  }

  LeaderCallbacks callbacks(String identity) {
    return new LeaderCallbacks(
        () -> {
          if (!lost.get()) {
            leading.set(true);
            LOG.info("operator {}: leading", identity);
          }
        },
        () -> {
          lost.set(true);
          leading.set(false);
          LOG.warn("operator {}: lost the lease, stepping down (no further passes)", identity);
        },
        leader -> LOG.info("operator {}: the leader is {}", identity, leader));
  }
}
