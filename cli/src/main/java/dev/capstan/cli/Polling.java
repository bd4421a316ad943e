package dev.capstan.cli;

import java.time.Duration;

/** The CLI's wait-until loops: ask the control plane again every so often until done or out of time. */
final class Polling {
  /** One look at the control plane; may end the wait early by throwing a {@link CliErrors.UserError}. */
  interface Check {
    boolean done();
  }

  private Polling() {}

  /** Runs {@code check} every {@code every} until it says done (true) or {@code timeout} has passed (false). */
  static boolean until(Duration timeout, Duration every, Check check) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!check.done()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(every);
    }
    return true;
  }
}
