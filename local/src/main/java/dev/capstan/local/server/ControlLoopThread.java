package dev.capstan.local.server;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Runs the control loop a pass at a time on its own thread, a pass every 200 ms or sooner when
 * {@link #wake woken}. The loop never dies quietly: whatever a pass throws, an Error included, is
 * logged with its stack trace and the loop goes on after a pause that doubles with each failure in
 * a row (at most 30 s); should the thread still end while the loop is meant to run, a new thread
 * takes over. (Core isolates a failing job; this guards against what escapes a whole pass.)
 */
final class ControlLoopThread {
  static final Duration PASS_INTERVAL = Duration.ofMillis(200);
  static final Duration MAX_PAUSE = Duration.ofSeconds(30);

  private final Runnable pass;
  private final PrintStream log;
  private final Semaphore wakeups = new Semaphore(0);
  private volatile boolean running;
  private volatile Thread thread;

  ControlLoopThread(Runnable pass, PrintStream log) {
    this.pass = pass;
    this.log = log;
  }

  void start() {
    running = true;
    startThread();
  }

  /** Asks for a pass now rather than at the next tick. */
  void wake() {
    wakeups.release();
  }

  /** Stops the loop and waits up to {@code grace} for the pass in progress to end. */
  void stop(Duration grace) throws InterruptedException {
    running = false;
    wake();
    Thread t = thread;
    if (t != null) {
      t.join(grace.toMillis());
    }
  }

  private void startThread() {
    Thread t = new Thread(this::run, "capstan-control-loop");
    t.setUncaughtExceptionHandler(this::replace);
    thread = t;
    t.start();
  }

  private void replace(Thread dead, Throwable e) {
    if (!running) {
      return;
    }
    startThread();
    try {
      log.println(Instant.now() + " control loop thread died and was replaced: " + e);
      e.printStackTrace(log);
    } catch (RuntimeException | Error ignored) {
      // the new thread runs whether or not this could be logged
    }
  }

  private void run() {
    int failures = 0;
    while (running) {
      try {
        pass.run();
        failures = 0;
      } catch (Throwable e) {
        failures++;
        log.println(Instant.now() + " control loop pass failed (" + failures + " in a row; next pass in "
            + pause(failures).toMillis() + " ms): " + e);
        e.printStackTrace(log);
      }
      if (!await(failures == 0 ? PASS_INTERVAL : pause(failures))) {
        return;
      }
    }
  }

  static Duration pause(int failures) {
    Duration d = PASS_INTERVAL.multipliedBy(1L << Math.min(failures - 1, 16));
    return d.compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : d;
  }

  /** Waits for the next tick or a wake-up; false when interrupted (the loop then ends). */
  private boolean await(Duration pause) {
    try {
      if (wakeups.tryAcquire(pause.toMillis(), TimeUnit.MILLISECONDS)) {
        wakeups.drainPermits();
      }
      return true;
    } catch (InterruptedException e) {
      return false;
    }
  }
}
