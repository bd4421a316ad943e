package dev.capstan.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QueueingExperimentTest {
  @TempDir
  Path dir;

  /** One node of 4 GPUs; the scheduler ticks every second, so times are exact. */
  private static QueueingRun run(QueueingPolicy policy, List<TraceJob> trace) {
    return new QueueingExperiment(trace, 1, 4, PreemptionCost.DEFAULT, 1).run(policy, 42, n -> {});
  }

  private static double jct(QueueingRun run, int job) {
    return run.jobs().get(job).jct();
  }

  /** A (0 s, 100 s long), B (10 s, 50 s), C (20 s, 10 s), each on all 4 GPUs. */
  private static final List<TraceJob> THREE = List.of(new TraceJob(0, 0, 100, 4), new TraceJob(1, 10, 50, 4), new TraceJob(2, 20, 10, 4));

  @Test
  void fifoRunsThemInArrivalOrder() {
    // A 0-100, B 100-150, C 150-160.
    QueueingRun fifo = run(QueueingPolicy.FIFO, THREE);
    assertEquals(List.of(100.0, 140.0, 140.0), List.of(jct(fifo, 0), jct(fifo, 1), jct(fifo, 2)));
    assertEquals(90, fifo.jobs().get(1).queued());
    assertEquals(380 / 3.0, fifo.summary().averageJct(), 1e-9);
    assertEquals(0, fifo.preemptions());
  }

  @Test
  void sjfRunsTheShortestWaitingJobFirst() {
    // A 0-100 (alone when it came), then C 100-110 before B 110-160.
    QueueingRun sjf = run(QueueingPolicy.SJF, THREE);
    assertEquals(List.of(100.0, 150.0, 90.0), List.of(jct(sjf, 0), jct(sjf, 1), jct(sjf, 2)));
    assertEquals(100, sjf.summary().medianJct());
    assertEquals(150, sjf.summary().p99Jct());
  }

  @Test
  void lasPreemptsAJobThatLeftTheTopLevelAndChargesThePreemption() {
    // A (0 s, 2,000 s on 4 GPUs) reaches 3,600 GPU-seconds at 900 s and drops a level; B (100 s,
    // 500 s), waiting at the top level, preempts it then and runs 900-1400. A loses one checkpoint
    // interval (600 s) of its 900 s, so 1,700 s are left; it restarts at 1,400, makes no progress for
    // the 60 s restart, and ends at 1,460 + 1,700 = 3,160. FIFO: A 0-2000, B 2000-2500.
    List<TraceJob> trace = List.of(new TraceJob(0, 0, 2000, 4), new TraceJob(1, 100, 500, 4));
    QueueingRun las = run(QueueingPolicy.LAS, trace);
    assertEquals(List.of(3160.0, 1300.0), List.of(jct(las, 0), jct(las, 1)));
    assertEquals(1, las.preemptions());
    assertEquals(1, las.jobs().get(0).preemptions());
    assertEquals(500, las.jobs().get(0).queued(), "A waited 900-1400");
    QueueingRun fifo = run(QueueingPolicy.FIFO, trace);
    assertEquals(List.of(2000.0, 2400.0), List.of(jct(fifo, 0), jct(fifo, 1)));
  }

  @Test
  void capstanDoesNotPreemptAJobUntilItHasRunTwoCheckpointIntervalsAndItsRestart() {
    // A (0 s, 5,000 s on 4 GPUs) is at the lower level from 900 s. 2D-LAS: B (1,000 s, 100 s)
    // preempts A at once (A ran 1,000 s: 600 s lost, 4,600 s left); B runs 1000-1100; A restarts at
    // 1,100. C (1,200 s, 100 s) preempts A at once (40 s of progress lost), C runs 1200-1300, A
    // restarts at 1,300 and ends at 1,360 + 4,600 = 5,960. Capstan's default spares A until it has
    // been admitted 1,260 s (two intervals and the restart): then B, the older of the two waiting,
    // preempts it (600 s of its 1,260 lost: 4,340 s left) and runs 1260-1360, C runs 1360-1460, and
    // A restarts at 1,460 and ends at 1,520 + 4,340 = 5,860, preempted once.
    List<TraceJob> trace = List.of(new TraceJob(0, 0, 5000, 4), new TraceJob(1, 1000, 100, 4), new TraceJob(2, 1200, 100, 4));
    QueueingRun las = run(QueueingPolicy.LAS, trace);
    assertEquals(List.of(5960.0, 100.0, 100.0), List.of(jct(las, 0), jct(las, 1), jct(las, 2)));
    QueueingRun capstan = run(QueueingPolicy.CAPSTAN, trace);
    assertEquals(List.of(5860.0, 360.0, 260.0), List.of(jct(capstan, 0), jct(capstan, 1), jct(capstan, 2)));
    assertEquals(2, las.preemptions());
    assertEquals(1, capstan.preemptions());
  }

  @Test
  void aPreemptionLosesAtMostOneCheckpointIntervalOfTheRunItStops() {
    PreemptionCost cost = new PreemptionCost(600, 60);
    assertEquals(600, cost.lostWork(900));
    assertEquals(250, cost.lostWork(250));
    assertEquals(0, cost.lostWork(0));
    assertThrows(IllegalArgumentException.class, () -> new PreemptionCost(0, 60));
    assertThrows(IllegalArgumentException.class, () -> new PreemptionCost(600, -1));
  }

  @Test
  void aSeedOrdersJobsArrivingInTheSameSecondAndNothingElse() {
    List<TraceJob> trace = List.of(new TraceJob(0, 0, 100, 4), new TraceJob(1, 0, 100, 4), new TraceJob(2, 5, 30, 2));
    QueueingExperiment experiment = new QueueingExperiment(trace, 1, 4, PreemptionCost.DEFAULT, 1);
    Set<Double> firstJobJcts = new HashSet<>();
    for (long seed = 1; seed <= 20; seed++) {
      QueueingRun a = experiment.run(QueueingPolicy.FIFO, seed, n -> {});
      QueueingRun b = experiment.run(QueueingPolicy.FIFO, seed, n -> {});
      assertEquals(a, b, "seed " + seed);
      firstJobJcts.add(jct(a, 0));
    }
    assertEquals(Set.of(100.0, 200.0), firstJobJcts, "either same-second job may go first, by seed");
  }

  /**
   * 60 jobs of 1 to 8 GPUs, a few seconds to two hours long, arriving over 10 hours on 16 GPUs, so
   * jobs wait and 2D-LAS and Capstan's default preempt: running a cycle only at the ticks where
   * something could change gives every job the same start, finish, waiting and preemptions as a cycle
   * at every tick, under every policy, with fewer cycles.
   */
  @Test
  void cyclesOnlyAtEventsDecideAsACycleAtEveryTick() {
    // a loaded cluster, then one so overloaded that dozens of jobs of each size wait at once (2D-LAS
    // never finishes that one: jobs that starve preempt each other in turn before either keeps any work)
    assertEventsDecideAsEveryTick(60, 600, QueueingPolicy.values());
    assertEventsDecideAsEveryTick(120, 200, QueueingPolicy.FIFO, QueueingPolicy.SJF, QueueingPolicy.CAPSTAN);
  }

  @Test
  void aPolicyThatNeverFinishesStopsAtItsHorizonWithItsUnfinishedJobsCounted() {
    QueueingExperiment experiment = new QueueingExperiment(randomTrace(120, 200), 2, 8, PreemptionCost.DEFAULT, 60);
    java.util.concurrent.atomic.AtomicInteger settled = new java.util.concurrent.atomic.AtomicInteger();
    QueueingRun las = experiment.run(QueueingPolicy.LAS, 42, settled::addAndGet);
    assertTrue(las.summary().unfinished() > 0, "2D-LAS goes round for ever on this trace");
    assertEquals(120, settled.get(), "the progress bar hears every job once, the unfinished ones at the horizon");
    long unfinished = las.jobs().stream().filter(o -> Double.isNaN(o.finish())).count();
    assertEquals(unfinished, las.summary().unfinished());
    double stopped = experiment.horizon();
    double longest = las.jobs().stream().filter(o -> Double.isNaN(o.finish())).mapToDouble(o -> stopped - o.arrival()).max().orElseThrow();
    assertTrue(las.summary().p99Jct() <= longest, "no job counts as finishing after the horizon");
    assertEquals(las.jobs().stream().mapToDouble(las::jctAtLeast).average().orElseThrow(), las.summary().averageJct(), 1e-6,
        "unfinished jobs count as finishing at the horizon");
    QueueingRun capstan = experiment.run(QueueingPolicy.CAPSTAN, 42, n -> {});
    assertEquals(0, capstan.summary().unfinished());
    QueueingReport report = new QueueingReport(List.of(las, capstan));
    assertTrue(report.table().contains(">="), "lower bounds are marked");
    double[] cdf = report.jcts().get("las");
    assertEquals(las.jobs().size(), cdf.length, "the CDF counts every job, the unfinished at the horizon");
    assertTrue(cdf[cdf.length - 1] >= longest, "the unfinished are in it at their bounds");
  }

  @Test
  void aJobLongerThanTheGraceAfterTheLastArrivalIsNotCutForBeingLong() {
    long days40 = 40L * 24 * 3600;
    QueueingRun fifo = run(QueueingPolicy.FIFO, List.of(new TraceJob(0, 0, days40, 4)));
    assertEquals(0, fifo.summary().unfinished(), "alone on the cluster it runs to its end");
    assertEquals((double) days40, jct(fifo, 0));
  }

  @Test
  void aJobThatEndsBetweenTicksHasNotQueuedForTheTimeItHeldItsGpusAfterItsEnd() {
    // period 60: A runs 0-100 and holds its GPUs to the tick at 120; B (10 s, on all 4 GPUs) starts there
    QueueingExperiment experiment = new QueueingExperiment(List.of(new TraceJob(0, 0, 100, 4), new TraceJob(1, 10, 50, 4)), 1, 4,
        PreemptionCost.DEFAULT, 60);
    QueueingRun fifo = experiment.run(QueueingPolicy.FIFO, 42, n -> {});
    assertEquals(List.of(0.0, 110.0), fifo.jobs().stream().map(QueueingRun.Outcome::queued).toList());
    assertEquals(55.0, fifo.summary().averageQueued());
  }

  /** Jobs of 1 to 8 GPUs, half of them short, arriving {@code meanGap} seconds apart on average. */
  private static List<TraceJob> randomTrace(int jobs, int meanGap) {
    SplittableRandom random = new SplittableRandom(7);
    int[] sizes = {1, 1, 1, 2, 4, 8};
    List<TraceJob> trace = new ArrayList<>();
    long arrival = 0;
    for (int id = 0; id < jobs; id++) {
      arrival += random.nextInt(2 * meanGap);
      long duration = random.nextBoolean() ? 10 + random.nextInt(600) : 600 + random.nextInt(6_000);
      trace.add(new TraceJob(id, arrival, duration, sizes[random.nextInt(sizes.length)]));
    }
    return trace;
  }

  private static void assertEventsDecideAsEveryTick(int jobs, int meanGap, QueueingPolicy... policies) {
    QueueingExperiment experiment = new QueueingExperiment(randomTrace(jobs, meanGap), 2, 8, PreemptionCost.DEFAULT, 60);
    for (QueueingPolicy policy : policies) {
      String what = policy.policyName() + ", " + jobs + " jobs";
      QueueingRun events = experiment.run(policy, 42, QueueingReplay.Stepping.EVENTS, n -> {});
      QueueingRun ticks = experiment.run(policy, 42, QueueingReplay.Stepping.EVERY_TICK, n -> {});
      assertEquals(ticks.jobs(), events.jobs(), what);
      assertEquals(ticks.preemptions(), events.preemptions(), what);
      assertTrue(events.cycles() < ticks.cycles(), what + ": " + events.cycles() + " cycles, " + ticks.cycles() + " at every tick");
      assertTrue(!policy.preempts() || events.preemptions() > 0, what + ": preempts on this trace");
    }
  }

  @Test
  void aJobLargerThanTheClusterIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new QueueingExperiment(List.of(new TraceJob(0, 0, 10, 16)), 1, 8, PreemptionCost.DEFAULT, 60));
    assertEquals("job 0 needs 16 GPUs; the cluster has 8", e.getMessage());
  }

  @Test
  void everyPolicyWritesItsRowsAndTheChart() throws Exception {
    List<TraceJob> trace = List.of(new TraceJob(0, 0, 100, 4), new TraceJob(1, 10, 50, 2), new TraceJob(2, 20, 10, 8),
        new TraceJob(3, 30, 4000, 1), new TraceJob(4, 40, 5, 1));
    QueueingExperiment experiment = new QueueingExperiment(trace, 2, 4, PreemptionCost.DEFAULT, 60);
    List<QueueingRun> runs = experiment.runAll(List.of(QueueingPolicy.values()), List.of(1L, 2L), 2, n -> {});
    assertEquals(8, runs.size());
    QueueingReport report = new QueueingReport(runs);
    report.writeJobsCsv(dir.resolve("jobs.csv"));
    report.writeSummaryCsv(dir.resolve("summary.csv"));
    JctChart.writeSvg(report.jcts(), "test", dir.resolve("jct-cdf.svg"));
    List<String> jobs = Files.readAllLines(dir.resolve("jobs.csv"));
    assertEquals(QueueingReport.JOBS_HEADER, jobs.getFirst());
    assertEquals(1 + 8 * 5, jobs.size());
    List<String> summary = Files.readAllLines(dir.resolve("summary.csv"));
    assertEquals(1 + 8, summary.size());
    assertTrue(summary.get(1).startsWith("fifo,1,5,"), summary.get(1));
    assertTrue(Files.readString(dir.resolve("jct-cdf.svg")).contains("<svg"));
    assertTrue(report.table().lines().anyMatch(l -> l.startsWith("capstan ")), report.table());
    for (QueueingRun r : runs) {
      r.jobs().forEach(o -> assertTrue(o.finish() >= o.arrival() + o.duration(), r.policy() + " " + o));
    }
  }
}
