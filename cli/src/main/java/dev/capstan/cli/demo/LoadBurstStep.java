package dev.capstan.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Locale;

/**
 * Step 5: a burst of load through the gateway ({@link #CLIENTS} clients sending one digit per
 * request back to back), while the chart shows the autoscaler adding replicas; then the load stops
 * and the chart shows them go again, down to zero (minReplicas 0), which also leaves the machine's
 * capacity to the next step's training. Reports the peak replicas, the request rate, the latency
 * percentiles measured by the clients, and the gateway's own count of what it answered. The burst
 * lasts a few seconds and, on a slow machine, until a second replica is ready (at most
 * {@link #LONGEST_BURST}), so that the scale-up is seen, not only asked for.
 */
final class LoadBurstStep implements DemoStep {
  static final int CLIENTS = 24;
  private static final Duration LONGEST_BURST = Duration.ofSeconds(90);

  @Override
  public String name() {
    return "load burst";
  }

  @Override
  public String title() {
    return "a burst of load: replicas scale up and back down";
  }

  @Override
  public String run(DemoRun run) throws Exception {
    ServiceView before = ServiceView.look(run);
    JsonNode predictor = before.service().path("spec").path("predictor");
    int maxReplicas = predictor.path("maxReplicas").asInt(1);
    OipClient oip = new OipClient(before.url(), ServeStep.SERVICE, Duration.ofSeconds(60));
    OipClient.Input input = oip.firstInput();
    HeldOutDigits digits = HeldOutDigits.load();
    GatewayCounts counted = GatewayCounts.read(before.gatewayBase(), run.namespace(), ServeStep.SERVICE);
    run.out().line(String.format(Locale.ROOT, "  %d clients send one digit per request through the gateway, back to back", CLIENTS));
    run.out().line(String.format(Locale.ROOT, "  (the autoscaler aims at %s %s per replica, at most %d replicas; stable window %s)",
        predictor.path("scaleTarget").asText("?"), predictor.path("scaleMetric").asText("concurrency"), maxReplicas,
        predictor.path("autoscaling").path("stableWindow").asText("60s")));
    ReplicaChart chart = new ReplicaChart(run.out(), maxReplicas);
    long started = System.nanoTime();
    Duration shortest = run.fast() ? Duration.ofSeconds(4) : Duration.ofSeconds(8);
    LoadGenerator load = LoadGenerator.start(oip, input, digits, CLIENTS);
    LoadGenerator.Figures figures;
    try {
      long seen = 0;
      long lastLook = started;
      while (true) {
        Thread.sleep(sampleEvery(run));
        ServiceView v = ServiceView.look(run);
        long now = System.nanoTime();
        long done = load.requests();
        chart.add(new ReplicaChart.Sample(TrainingProgress.seconds(now - started), v.ready(), v.desired(),
            (done - seen) / TrainingProgress.seconds(now - lastLook), true));
        seen = done;
        lastLook = now;
        long elapsed = now - started;
        if (elapsed >= shortest.toNanos() && chart.peakReady() >= 2 || elapsed >= LONGEST_BURST.toNanos()) {
          break;
        }
      }
    } finally {
      figures = load.stop();
      run.served((int) figures.requests(), (int) figures.failed());
    }
    double burstSeconds = TrainingProgress.seconds(System.nanoTime() - started);
    if (chart.peakWanted() < 2) {
      throw new IllegalStateException("the autoscaler never asked for a second replica under " + CLIENTS + " clients");
    }
    ServiceView after = watchScaleDown(run, chart, started);
    double downSeconds = TrainingProgress.seconds(System.nanoTime() - started) - burstSeconds;
    chart.bars().forEach(run.out()::line);
    GatewayCounts answered = GatewayCounts.read(after.gatewayBase(), run.namespace(), ServeStep.SERVICE).since(counted);
    run.out().line(String.format(Locale.ROOT, "  %d requests in %.1fs: %.0f req/s, p50 %.0f ms, p99 %.0f ms, %d failed",
        figures.requests(), figures.seconds(), figures.rate(), figures.p50Millis(), figures.p99Millis(), figures.failed()));
    run.out().line(String.format(Locale.ROOT, "  peak %d replicas ready (%d wanted); back to %d %.1fs after the load stopped",
        chart.peakReady(), chart.peakWanted(), after.ready(), downSeconds));
    run.out().line(String.format(Locale.ROOT, "  the gateway's /metrics count %d answers for it in that time, %d of them not 200",
        answered.total(), answered.notOk()));
    if (figures.failed() > 0) {
      throw new IllegalStateException(figures.failed() + " of " + figures.requests() + " requests failed, the first: " + figures.firstFailure());
    }
    return String.format(Locale.ROOT, "%d requests, %.0f req/s, p50 %.0f ms, p99 %.0f ms, %d failed; peak %d replicas (max %d)",
        figures.requests(), figures.rate(), figures.p50Millis(), figures.p99Millis(), figures.failed(), chart.peakReady(), maxReplicas);
  }

  /** How often the chart samples: a few times a second. */
  private static Duration sampleEvery(DemoRun run) {
    return Duration.ofMillis(run.fast() ? 250 : 500);
  }

  /** Samples the replicas with no load until the service is idle at zero replicas. */
  private static ServiceView watchScaleDown(DemoRun run, ReplicaChart chart, long started) throws InterruptedException {
    long deadline = System.nanoTime() + run.stepDeadline().toNanos();
    while (true) {
      Thread.sleep(sampleEvery(run));
      ServiceView v = ServiceView.look(run);
      chart.add(new ReplicaChart.Sample(TrainingProgress.seconds(System.nanoTime() - started), v.ready(), v.desired(), 0, false));
      if (v.state().equals("Idle") && v.ready() == 0 && v.desired() == 0) {
        return v;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("isvc " + ServeStep.SERVICE + " still has " + v.ready() + " replicas ready "
            + run.stepDeadline().toMinutes() + " minutes after the load stopped");
      }
    }
  }
}
