package dev.capstan.core.autoscale;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * One metric of one revision in one-second buckets, averaged over a window that ends now, as
 * Knative's timed buckets do: a second with no report counts as zero, and while the revision has
 * been observed for less than the window the average is over the seconds observed so far. Keeps no
 * more seconds than the longest window asked for when it was made.
 */
final class MetricWindow {
  private final long retainedSeconds;
  private final TreeMap<Long, Bucket> buckets = new TreeMap<>();
  private long firstSecond;
  private boolean observed;

  MetricWindow(Duration longestWindow) {
    this.retainedSeconds = seconds(longestWindow);
  }

  /** Adds one report; reports in the same second are averaged (one reporter per revision). */
  void add(Instant at, double value) {
    long second = at.getEpochSecond();
    long newest = buckets.isEmpty() ? second : Math.max(buckets.lastKey(), second);
    if (second <= newest - retainedSeconds) {
      return;
    }
    if (!observed || second < firstSecond) {
      firstSecond = second;
      observed = true;
    }
    buckets.computeIfAbsent(second, s -> new Bucket()).add(value);
    buckets.headMap(newest - retainedSeconds, true).clear();
  }

  /**
   * Forgets every report when {@code now} is more than the window before the newest one: the clock
   * went back, and reports stamped in its future would otherwise hide every new one for as long.
   */
  void restartIfClockWentBack(Instant now) {
    if (!buckets.isEmpty() && now.getEpochSecond() <= buckets.lastKey() - retainedSeconds) {
      buckets.clear();
      observed = false;
    }
  }

  /** The average over the {@code window} ending at {@code now}; 0 before any report. */
  double average(Instant now, Duration window) {
    long nowSecond = now.getEpochSecond();
    if (!observed || nowSecond < firstSecond) {
      return 0;
    }
    long length = Math.min(seconds(window), retainedSeconds);
    long from = nowSecond - length + 1;
    double sum = 0;
    for (Map.Entry<Long, Bucket> entry : buckets.subMap(from, true, nowSecond, true).entrySet()) {
      sum += entry.getValue().mean();
    }
    long seen = Math.min(length, nowSecond - firstSecond + 1);
    return sum / seen;
  }

  private static long seconds(Duration window) {
    return Math.max(1, (window.toMillis() + 999) / 1000);
  }

  private static final class Bucket {
    private double sum;
    private int count;

    void add(double value) {
      sum += value;
      count++;
    }

    double mean() {
      return sum / count;
    }
  }
}
