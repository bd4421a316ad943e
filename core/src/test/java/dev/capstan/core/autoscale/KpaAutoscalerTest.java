package dev.capstan.core.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.api.serving.ScaleMetric;
import dev.capstan.core.autoscale.LoadRun.Step;
import dev.capstan.core.serving.RevisionLoad;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The KPA on synthetic load curves with a fake clock. Unless a test says otherwise a replica aims at
 * 7 requests in flight (scale target 10 at 70 % utilisation), the windows are Knative's (stable
 * 60 s, panic 6 s, grace 30 s, tick 2 s), and the revision may go to zero.
 */
class KpaAutoscalerTest {
  private static AutoscalingSettings settings(UnaryOperator<AutoscalingSettings.Builder> change) {
    return change.apply(AutoscalingSettings.builder().scaleTarget(10).minReplicas(0).maxReplicas(20)).build();
  }

  private static final AutoscalingSettings SEVEN_PER_REPLICA = settings(b -> b);

  @Test
  void stepLoadScalesUpWithinThePanicWindowThenDownThenToZeroAfterTheGrace() {
    LoadRun run = new LoadRun(SEVEN_PER_REPLICA, 1).hold(1, 120);
    assertTrue(run.steps().stream().allMatch(s -> s.desired() == 1 && !s.decision().panicking()));

    run.hold(32, 60);
    Step up = run.firstAfter(120, s -> s.desired() >= 5).orElseThrow();
    assertTrue(up.second() <= 120 + 6, "5 replicas within the panic window, got them at second " + up.second());
    assertTrue(up.decision().panicking());
    assertEquals(5, run.last().desired(), "32 in flight at 7 a replica");

    run.hold(0, 240);
    assertNeverShrinksWhilePanicking(run.steps());
    Step down = run.firstAfter(180, s -> s.desired() < 5).orElseThrow();
    assertTrue(down.second() < 180 + 60, "scaled down within the stable window after the load stopped");
    Step zero = run.firstAfter(180, s -> s.desired() == 0).orElseThrow();
    assertEquals(180 + 90, zero.second(), "zero exactly when the stable window plus the grace passed without traffic");
    assertEquals(ScaleReason.SCALED_TO_ZERO, zero.decision().reason());
    assertTrue(run.stepsBetween(180, 270 - 1).stream().allMatch(s -> s.desired() >= 1));
    assertTrue(run.stepsBetween(270, 420).stream().allMatch(s -> s.desired() == 0));
  }

  @Test
  void theSameCurveGivesTheSameDecisions() {
    List<Step> first = new LoadRun(SEVEN_PER_REPLICA, 1).hold(1, 30).ramp(1, 50, 40).hold(0, 120).steps();
    List<Step> second = new LoadRun(SEVEN_PER_REPLICA, 1).hold(1, 30).ramp(1, 50, 40).hold(0, 120).steps();
    assertEquals(first, second);
  }

  @Test
  void aRampIsFollowedWithoutEverScalingDownAndSettlesOnTheStableCount() {
    LoadRun run = new LoadRun(SEVEN_PER_REPLICA, 1).ramp(0, 70, 70);
    List<Step> ramp = run.steps();
    for (int i = 1; i < ramp.size(); i++) {
      assertTrue(ramp.get(i).desired() >= ramp.get(i - 1).desired(), "never down on a rising load: " + ramp.get(i));
    }
    run.hold(70, 120);
    assertEquals(10, run.last().desired());
    assertEquals(ScaleReason.STABLE, run.last().decision().reason());
    assertFalse(run.last().decision().panicking());
    assertEquals(70, run.last().decision().stableValue(), 1e-9);
  }

  @Test
  void aBurstPanicsWithinThePanicWindowAndHoldsForAStableWindowAfterTheLastTrigger() {
    LoadRun run = new LoadRun(SEVEN_PER_REPLICA, 1).hold(7, 120);
    assertEquals(1, run.last().desired());
    run.hold(70, 10);
    Step panic = run.firstAfter(120, s -> s.decision().panicking()).orElseThrow();
    assertTrue(panic.second() <= 120 + 6, "panic within the panic window, at second " + panic.second());
    Step full = run.firstAfter(120, s -> s.desired() >= 10).orElseThrow();
    assertTrue(full.second() <= 120 + 6, "10 replicas within the panic window, at second " + full.second());

    run.hold(7, 180);
    assertNeverShrinksWhilePanicking(run.steps());
    long lastTrigger = lastPanicTrigger(run.steps());
    Step calm = run.firstAfter(120, s -> !s.decision().panicking()).orElseThrow();
    assertTrue(calm.second() > lastTrigger + 60, "panic lasts a stable window after its last trigger");
    assertTrue(calm.second() <= lastTrigger + 60 + 2, "and ends at the first tick after that");
    assertTrue(run.stepsBetween(full.second() - 1, calm.second() - 1).stream().allMatch(s -> s.desired() >= 10));
    assertEquals(1, run.last().desired(), "back to one replica for 7 in flight");
  }

  @Test
  void scaleDownIsAtMostHalvingPerDecision() {
    LoadRun run = new LoadRun(SEVEN_PER_REPLICA, 10).hold(0, 8);
    assertEquals(List.of(5, 2, 1, 1), run.steps().stream().map(Step::desired).toList());
    assertEquals(ScaleReason.SCALE_DOWN_LIMITED, run.steps().get(0).decision().reason());
    assertEquals(ScaleReason.IDLE_GRACE, run.steps().get(3).decision().reason());
  }

  @Test
  void scaleUpIsAtMostTheRateTimesTheReadyReplicas() {
    AutoscalingSettings slow = settings(b -> b.maxScaleUpRate(2).panicThresholdPercentage(1000));
    LoadRun run = new LoadRun(slow, 1).hold(35, 10);
    assertEquals(List.of(2, 4, 5, 5, 5), run.steps().stream().map(Step::desired).toList());
    assertEquals(ScaleReason.SCALE_UP_LIMITED, run.steps().get(0).decision().reason());
    for (Step s : run.steps()) {
      assertTrue(s.desired() <= 2 * Math.max(1, s.readyBefore()), s.toString());
    }
  }

  @Test
  void panicGrowthIsRateLimitedToo() {
    LoadRun run = new LoadRun(settings(b -> b.maxScaleUpRate(2)), 1).hold(7, 60).hold(140, 20);
    for (Step s : run.stepsBetween(60, 80)) {
      assertTrue(s.desired() <= 2 * Math.max(1, s.readyBefore()), s.toString());
    }
    assertEquals(20, run.last().desired());
  }

  @Test
  void silenceGoesToZeroOnlyAfterTheStableWindowPlusTheGrace() {
    LoadRun run = new LoadRun(SEVEN_PER_REPLICA, 1).hold(5, 30).hold(0, 200);
    assertTrue(run.stepsBetween(30, 119).stream().allMatch(s -> s.desired() == 1));
    assertTrue(run.stepsBetween(90, 119).stream().allMatch(s -> s.decision().reason() == ScaleReason.IDLE_GRACE));
    assertEquals(120, run.firstAfter(30, s -> s.desired() == 0).orElseThrow().second());
    assertEquals(Duration.ofSeconds(200), run.autoscaler().idleFor(run.now()));
  }

  @Test
  void aShorterGraceAndWindowAreHonoured() {
    AutoscalingSettings quick = settings(b -> b.stableWindow(Duration.ofSeconds(6))
        .scaleToZeroGracePeriod(Duration.ofSeconds(2)));
    LoadRun run = new LoadRun(quick, 1).hold(5, 10).hold(0, 20);
    assertEquals(18, run.firstAfter(10, s -> s.desired() == 0).orElseThrow().second());
  }

  @Test
  void aNewRevisionWithoutTrafficGetsOneReplicaFirstThenZero() {
    LoadRun run = new LoadRun(SEVEN_PER_REPLICA, 0).hold(0, 120);
    Step first = run.steps().getFirst();
    assertEquals(1, first.desired(), "one replica proves the revision can become ready");
    assertEquals(first.second() + 90, run.firstAfter(0, s -> s.desired() == 0).orElseThrow().second(),
        "zero once the stable window plus the grace passed since the revision was first seen");
  }

  @Test
  void minReplicasKeepsTheRevisionUp() {
    LoadRun run = new LoadRun(settings(b -> b.minReplicas(2)), 2).hold(3, 20).hold(0, 200);
    assertTrue(run.steps().stream().allMatch(s -> s.desired() == 2));
    assertEquals(ScaleReason.MIN_REPLICAS, run.last().decision().reason());
  }

  @Test
  void maxReplicasCapsEvenInPanic() {
    LoadRun run = new LoadRun(settings(b -> b.maxReplicas(3)), 1).hold(7, 60).hold(200, 60);
    assertTrue(run.steps().stream().allMatch(s -> s.desired() <= 3));
    assertEquals(3, run.last().desired());
    assertEquals(ScaleReason.MAX_REPLICAS, run.last().decision().reason());
  }

  @Test
  void rpsMetricScalesOnTheRequestRate() {
    // 40 in flight at 100 ms a request is 400 requests a second; 70 a second a replica.
    LoadRun rps = new LoadRun(settings(b -> b.metric(ScaleMetric.RPS).scaleTarget(100)), 1).hold(40, 120);
    assertEquals(6, rps.last().desired());
    assertEquals(400, rps.last().decision().stableValue(), 1e-9);
    LoadRun concurrency = new LoadRun(settings(b -> b.scaleTarget(100)), 1).hold(40, 120);
    assertEquals(1, concurrency.last().desired(), "the same load on concurrency at 70 a replica");
  }

  @Test
  void aRequestAtZeroGetsAReplicaAtOnceAndRestartsTheIdleClock() {
    LoadRun run = new LoadRun(SEVEN_PER_REPLICA, 1).hold(2, 10).hold(0, 120);
    assertEquals(0, run.last().desired());
    ScaleDecision woken = run.activate();
    assertEquals(1, woken.desiredReplicas());
    assertEquals(ScaleReason.ACTIVATING, woken.reason());
    run.hold(0, 4);
    assertTrue(run.stepsBetween(130, 134).stream().allMatch(s -> s.desired() == 1), "no new report yet: still one");
    run.hold(0, 100);
    assertEquals(130 + 90, run.firstAfter(130, s -> s.desired() == 0).orElseThrow().second());
  }

  @Test
  void aBurstAtZeroPanicsStraightToItsCount() {
    LoadRun run = new LoadRun(SEVEN_PER_REPLICA, 0).hold(0, 120);
    run.activate();
    run.hold(140, 6);
    assertTrue(run.last().decision().panicking());
    assertEquals(20, run.last().desired());
  }

  @Test
  void activationHonoursMinReplicas() {
    KpaAutoscaler kpa = new KpaAutoscaler(settings(b -> b.minReplicas(3)));
    assertEquals(3, kpa.activate(LoadRun.START).desiredReplicas());
  }

  @Test
  void negativeReadyReplicasAreRefused() {
    KpaAutoscaler kpa = new KpaAutoscaler(SEVEN_PER_REPLICA);
    assertThrows(IllegalArgumentException.class, () -> kpa.decide(LoadRun.START, -1));
  }

  @Test
  void loadAfterTheClockWentBackAnHourIsSeenAtOnce() {
    KpaAutoscaler kpa = new KpaAutoscaler(SEVEN_PER_REPLICA);
    int ready = tick(kpa, LoadRun.START, 0, 120, 7, 1);
    assertEquals(1, ready, "7 in flight at 7 a replica");
    Instant back = LoadRun.START.minus(Duration.ofHours(1));
    ready = tick(kpa, back, 0, 10, 70, ready);
    assertEquals(10, ready, "70 in flight at 7 a replica, within the panic window of the clock going back");
  }

  @Test
  void afterTheClockWentBackAnHourPanicEndsAndTheRevisionGoesToZeroOnTime() {
    KpaAutoscaler kpa = new KpaAutoscaler(SEVEN_PER_REPLICA);
    int ready = tick(kpa, LoadRun.START, 0, 10, 70, 1);
    assertTrue(kpa.panicking());
    Instant back = LoadRun.START.minus(Duration.ofHours(1));
    ready = tick(kpa, back, 0, 64, 0, ready);
    assertFalse(kpa.panicking(), "panic ends a stable window after the clock went back, not an hour later");
    ready = tick(kpa, back, 64, 92, 0, ready);
    assertEquals(0, ready, "zero the stable window and grace after the clock went back");
  }

  /** Reports {@code concurrency} each second in [from, to) after {@code base}, deciding every 2 s; returns the ready replicas. */
  private static int tick(KpaAutoscaler kpa, Instant base, int from, int to, double concurrency, int ready) {
    for (int s = from; s < to; s++) {
      Instant at = base.plusSeconds(s + 1);
      if (concurrency > 0) {
        kpa.record(new RevisionLoad(LoadRun.REVISION, at, concurrency, concurrency * 10, 0));
      }
      if ((s + 1) % 2 == 0) {
        ready = kpa.decide(at, ready).desiredReplicas();
      }
    }
    return ready;
  }

  private static void assertNeverShrinksWhilePanicking(List<Step> steps) {
    for (int i = 1; i < steps.size(); i++) {
      if (steps.get(i).decision().panicking()) {
        assertTrue(steps.get(i).desired() >= steps.get(i - 1).desired(), "scaled down in panic: " + steps.get(i));
      }
    }
  }

  /** The last decision whose panic-window count reached twice the ready replicas. */
  private static long lastPanicTrigger(List<Step> steps) {
    long last = -1;
    for (Step s : steps) {
      double wanted = Math.ceil(s.decision().panicValue() / 7);
      if (wanted / Math.max(1, s.readyBefore()) >= 2) {
        last = s.second();
      }
    }
    return last;
  }
}
