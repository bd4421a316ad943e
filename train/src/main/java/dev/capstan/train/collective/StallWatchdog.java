package dev.capstan.train.collective;

import java.time.Duration;

/**
 * Aborts the ring when an operation makes no progress in one direction for longer than the timeout,
 * so a stalled or vanished peer turns into an error on every rank instead of a hang.
 */
final class StallWatchdog implements AutoCloseable {
  private final RingLinks links;
  private final long timeoutNanos;
  private volatile long limitNanos;
  private final Thread thread;
  private volatile boolean inOperation;
  private volatile boolean closed;

  StallWatchdog(RingLinks links, Duration timeout, int rank) {
    this.links = links;
    this.timeoutNanos = timeout.toNanos();
    long tickMillis = Math.max(10, Math.min(500, timeout.toMillis() / 10));
    this.thread = Thread.ofPlatform().daemon().name("capstan-watchdog-" + rank).unstarted(() -> watch(tickMillis));
    thread.start();
  }

  void enter() {
    enter(Duration.ofNanos(timeoutNanos));
  }

  /** Starts an operation allowed to make no progress for up to {@code limit}. */
  void enter(Duration limit) {
    limitNanos = limit.toNanos();
    links.resetClocks();
    inOperation = true;
  }

  void exit() {
    inOperation = false;
  }

  private void watch(long tickMillis) {
    while (!closed) {
      try {
        Thread.sleep(tickMillis);
      } catch (InterruptedException e) {
        return;
      }
      if (!inOperation) {
        continue;
      }
      long now = System.nanoTime();
      long limit = limitNanos;
      long seconds = Duration.ofNanos(limit).toSeconds();
      if (now - links.lastReceiveNanos() > limit) {
        links.abort("no data from rank " + links.prev() + " for " + seconds
            + " s (peer stalled, died or is unreachable; timeout " + seconds + " s)");
      } else if (links.writing() && now - links.lastSendNanos() > limit) {
        links.abort("rank " + links.next() + " accepted no data for " + seconds
            + " s (peer stalled, died or is unreachable; timeout " + seconds + " s)");
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }
}
