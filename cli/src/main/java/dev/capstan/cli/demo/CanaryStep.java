package dev.capstan.cli.demo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.cli.ManifestFiles;
import java.time.Duration;
import java.util.Locale;

/**
 * Step 6: trains a second version (the master alone, a shorter run), registers it, and, once
 * clients sending requests have woken the service from zero, moves the alias it follows. The control plane makes a
 * new revision for the version the alias now names and, since examples/demo/serving.yaml sets
 * {@code canaryTrafficPercent: 20}, gives it a fifth of the traffic once it is ready. The split is
 * measured over the requests the gateway answered (its per-revision counts at {@code /metrics});
 * then the demo promotes the canary ({@code canaryTrafficPercent: 100}) and waits until the old
 * revision has drained and stopped, the clients still sending. Every request must succeed.
 */
final class CanaryStep implements DemoStep {
  static final int CLIENTS = 4;
  private static final int FEWEST_MEASURED = 200;
  private static final Duration LONGEST_MEASURE = Duration.ofSeconds(60);

  @Override
  public String name() {
    return "canary, promote";
  }

  @Override
  public String title() {
    return "train a second version, send it 20 % as a canary, then promote it";
  }

  @Override
  public String run(DemoRun run) throws Exception {
    String version = trainAndRegister(run);
    ServiceView before = ServiceView.look(run);
    String stable = before.rolledOut();
    int canaryPercent = ServeStep.manifest(run).doc().path("spec").path("predictor").path("canaryTrafficPercent").asInt(100);
    OipClient oip = new OipClient(before.url(), ServeStep.SERVICE, Duration.ofMinutes(3));
    HeldOutDigits digits = HeldOutDigits.load();
    run.out().line("  " + CLIENTS + " clients keep sending digits through the gateway from now until the promotion is done;"
        + " their first requests wake " + stable + " from zero");
    LoadGenerator load = LoadGenerator.start(oip, oip.firstInput(), digits, CLIENTS);
    LoadGenerator.Figures figures;
    String canary;
    GatewayCounts split;
    try {
      ServiceView.await(run, s -> s.revision(stable).map(r -> r.ready() >= 1).orElse(false) && load.requests() > 0);
      DemoModel.pointAlias(run, version);
      ServiceView v = ServiceView.await(run, s -> s.revisions().stream()
          .anyMatch(r -> r.modelVersion().equals(version) && r.state().equals("Ready") && r.traffic() == canaryPercent));
      canary = v.revisions().stream().filter(r -> r.modelVersion().equals(version)).findFirst().orElseThrow().name();
      run.out().line(String.format(Locale.ROOT, "  the alias move made revision %s (version %s): it takes %d %%, %s the rest",
          canary, version, canaryPercent, stable));
      split = measureSplit(run, v, load, canary);
      run.out().line(String.format(Locale.ROOT, "  measured over %d requests the gateway answered: %s %d (%.1f %%), %s %d (%.1f %%)",
          split.total(), canary, split.of(canary), percent(split.of(canary), split.total()), stable, split.of(stable),
          percent(split.of(stable), split.total())));
      promote(run);
      ServiceView.await(run, s -> s.is("Ready") && canary.equals(s.rolledOut())
          && s.revision(stable).map(r -> r.traffic() == 0 && r.ready() == 0).orElse(true));
      run.out().line("  promoted: " + canary + " takes 100 %; " + stable + " drained and stopped");
    } finally {
      figures = load.stop();
      run.served((int) figures.requests(), (int) figures.failed());
    }
    run.out().line(String.format(Locale.ROOT, "  %d requests during the alias move, the canary and the promotion: %d failed"
        + " (p50 %.0f ms, p99 %.0f ms)", figures.requests(), figures.failed(), figures.p50Millis(), figures.p99Millis()));
    if (figures.failed() > 0 || split.notOk() > 0) {
      throw new IllegalStateException(figures.failed() + " of " + figures.requests() + " requests failed during the rollout"
          + (figures.firstFailure() == null ? "" : ", the first: " + figures.firstFailure()));
    }
    return String.format(Locale.ROOT, "version %s as a %d %% canary: %s answered %.1f %% of %d; promoted; %d requests, %d failed",
        version, canaryPercent, canary, percent(split.of(canary), split.total()), split.total(), figures.requests(), figures.failed());
  }

  /** Trains the second version to the end with its live view, and registers it; returns its version. */
  private static String trainAndRegister(DemoRun run) throws InterruptedException {
    DemoTraining second = DemoTraining.second(run);
    ManifestFiles.Manifest m = DemoJob.manifest(run, second);
    run.out().line("  applying " + DemoJob.FILE + " as trainingjob " + run.namespace() + "/" + m.name() + " (the master alone, "
        + second.steps() + " steps)");
    run.client().apply(m.kind(), m.namespace(), m.name(), m.doc());
    TrainingProgress.Snapshot done = new TrainingProgress(run, second).watchUntil(s -> s.state().equals("Succeeded"));
    run.out().line("  trainingjob " + run.namespace() + "/" + second.job() + " Succeeded: held-out accuracy "
        + done.job().path("status").path("metrics").path("eval_accuracy").asText("-") + " (version " + run.modelVersion()
        + ": " + run.trainedAccuracy() + ")");
    return DemoModel.register(run, second).path("spec").path("version").asText();
  }

  /**
   * Counts the gateway's answers per revision while the canary takes its share: a few seconds and
   * at least {@link #FEWEST_MEASURED} answers (at most {@link #LONGEST_MEASURE}). The route table
   * follows the status within the control loop's pass, so counting starts one poll later.
   */
  private static GatewayCounts measureSplit(DemoRun run, ServiceView v, LoadGenerator load, String canary) throws Exception {
    Thread.sleep(run.poll());
    GatewayCounts from = GatewayCounts.read(v.gatewayBase(), run.namespace(), ServeStep.SERVICE);
    long started = System.nanoTime();
    long shortest = (run.fast() ? Duration.ofSeconds(3) : Duration.ofSeconds(6)).toNanos();
    while (true) {
      Thread.sleep(run.poll());
      GatewayCounts split = GatewayCounts.read(v.gatewayBase(), run.namespace(), ServeStep.SERVICE).since(from);
      if (run.out().terminal()) {
        run.out().live(String.format(Locale.ROOT, "  %s answered %d of %d (%.1f %%)", canary, split.of(canary), split.total(),
            percent(split.of(canary), split.total())));
      }
      long elapsed = System.nanoTime() - started;
      if (elapsed >= shortest && split.total() >= FEWEST_MEASURED || elapsed >= LONGEST_MEASURE.toNanos()) {
        return split;
      }
      if (load.failed() > 0) {
        return split;
      }
    }
  }

  /** Applies examples/demo/serving.yaml with {@code canaryTrafficPercent: 100}: the latest ready revision takes every request. */
  private static void promote(DemoRun run) {
    ManifestFiles.Manifest m = ServeStep.manifest(run);
    ((ObjectNode) m.doc().path("spec").path("predictor")).put("canaryTrafficPercent", 100);
    run.client().apply(m.kind(), m.namespace(), m.name(), m.doc());
    run.out().line("  promoting: applied " + ServeStep.FILE + " with canaryTrafficPercent 100");
  }

  static double percent(long part, long whole) {
    return whole == 0 ? 0 : 100.0 * part / whole;
  }
}
