package dev.capstan.core.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Per-second buckets averaged like Knative's: silent seconds count as zero, young windows average what they saw. */
class MetricWindowTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration TEN = Duration.ofSeconds(10);

  private static Instant at(double seconds) {
    return T0.plusMillis(Math.round(seconds * 1000));
  }

  @Test
  void nothingReportedAveragesZero() {
    assertEquals(0, new MetricWindow(TEN).average(T0, TEN));
  }

  @Test
  void aYoungWindowAveragesOverTheSecondsSinceTheFirstReport() {
    MetricWindow w = new MetricWindow(TEN);
    w.add(at(0), 4);
    w.add(at(1), 8);
    assertEquals(6, w.average(at(1), TEN), 1e-9);
  }

  @Test
  void secondsWithoutAReportCountAsZero() {
    MetricWindow w = new MetricWindow(TEN);
    w.add(at(0), 10);
    w.add(at(4), 10);
    assertEquals(4, w.average(at(4), TEN), 1e-9);
    assertEquals(2, w.average(at(9), TEN), 1e-9);
    assertEquals(1, w.average(at(10), TEN), 1e-9, "the first report left the window");
    assertEquals(0, w.average(at(14), TEN), 1e-9);
  }

  @Test
  void aShorterWindowSeesOnlyItsLastSeconds() {
    MetricWindow w = new MetricWindow(TEN);
    for (int s = 0; s < 10; s++) {
      w.add(at(s), s < 8 ? 1 : 10);
    }
    assertEquals(10, w.average(at(9), Duration.ofSeconds(2)), 1e-9);
    assertEquals(2.8, w.average(at(9), TEN), 1e-9);
  }

  @Test
  void aClockGoneBackPastTheWindowStartsItAgain() {
    MetricWindow w = new MetricWindow(TEN);
    w.add(at(100), 8);
    w.restartIfClockWentBack(at(95));
    assertEquals(8, w.average(at(100), TEN), 1e-9, "back by less than the window: kept");
    w.restartIfClockWentBack(at(90));
    w.add(at(91), 4);
    assertEquals(4, w.average(at(91), TEN), 1e-9, "back by the window: what came before is forgotten");
  }

  @Test
  void reportsInOneSecondAreAveragedAndOnesOlderThanTheWindowDropped() {
    MetricWindow w = new MetricWindow(TEN);
    w.add(at(20.1), 2);
    w.add(at(20.9), 4);
    w.add(at(5), 1000);
    assertEquals(3, w.average(at(20), Duration.ofSeconds(1)), 1e-9);
    assertEquals(0.3, w.average(at(29), TEN), 1e-9);
  }
}
