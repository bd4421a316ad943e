package dev.capstan.train;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import sun.misc.Signal;

/**
 * Whether the process was asked to stop early: SIGTERM (a preemption, a deletion) sets it, and the
 * training loop then checkpoints the last finished step at once and ends. A signal handler rather
 * than a shutdown hook, so the process still chooses its own exit code ({@link TrainRun#EXIT_PREEMPTED}).
 */
public final class StopRequest implements BooleanSupplier {
  private final AtomicBoolean requested = new AtomicBoolean();

  /** Stops when this process gets SIGTERM. */
  public static StopRequest onSigterm() {
    StopRequest stop = new StopRequest();
    Signal.handle(new Signal("TERM"), signal -> stop.request());
    return stop;
  }

  public void request() {
    requested.set(true);
  }

  @Override
  public boolean getAsBoolean() {
    return requested.get();
  }
}
