package dev.capstan.sim;

/** Bounds on what a trace may hold, so a bad file fails with a reason instead of exhausting memory. */
final class TraceLimits {
  static final int MAX_NODES = 100_000;
  static final int MAX_PODS = 2_000_000;
  /** 100,000 cores. */
  static final long MAX_CPU_MILLI = 100_000_000L;
  /** 1 PiB. */
  static final long MAX_MEMORY_MIB = 1L << 30;
  static final int MAX_NAME = 253;

  private TraceLimits() {}
}
