package dev.capstan.train.collective;

import java.util.concurrent.locks.LockSupport;

/**
 * How a rank waits for another process through shared memory: it spins for a moment (the other
 * side is usually about to move), then yields, then parks for growing intervals up to 50 µs, so a
 * waiting rank gives its core to the ranks that have work.
 */
final class Backoff {
  private static final int SPINS = 200;
  private static final int YIELDS = 300;
  private static final long FIRST_PARK_NANOS = 5_000;
  private static final long MAX_PARK_NANOS = 50_000;

  private int attempt;
  private long parkNanos = FIRST_PARK_NANOS;

  /** The other side moved: the next wait starts with spinning again. */
  void reset() {
    attempt = 0;
    parkNanos = FIRST_PARK_NANOS;
  }

  /**
   * Waits a little. Returns true when the caller should also check that the other side is still
   * there (a system call, so not on every spin).
   */
  boolean pause() {
    int current = attempt++;
    if (current < SPINS) {
      Thread.onSpinWait();
      return false;
    }
    if (current < SPINS + YIELDS) {
      Thread.yield();
      return (current & 63) == 0;
    }
    LockSupport.parkNanos(parkNanos);
    parkNanos = Math.min(MAX_PARK_NANOS, parkNanos * 2);
    return true;
  }
}
