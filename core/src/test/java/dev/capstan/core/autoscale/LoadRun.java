package dev.capstan.core.autoscale;

import dev.capstan.core.serving.RevisionKey;
import dev.capstan.core.serving.RevisionLoad;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntToDoubleFunction;
import java.util.function.Predicate;

/**
 * Drives one {@link KpaAutoscaler} through a synthetic load curve on a fake clock, as the gateway and
 * a control plane would: one report a second for a revision with traffic (the request rate follows
 * Little's law at 100 ms a request), a decision every tick, and the replicas asked for ready at the
 * next tick.
 */
final class LoadRun {
  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  static final RevisionKey REVISION = new RevisionKey("default", "mlp", "mlp-predictor-00001");
  static final double REQUESTS_PER_SECOND_PER_IN_FLIGHT = 10;

  /** One decision and what led to it. */
  record Step(long second, double concurrency, int readyBefore, ScaleDecision decision) {
    int desired() {
      return decision.desiredReplicas();
    }
  }

  private final KpaAutoscaler autoscaler;
  private final long tickSeconds;
  private final List<Step> steps = new ArrayList<>();
  private long second;
  private int ready;

  LoadRun(AutoscalingSettings settings, int readyAtStart) {
    this.autoscaler = new KpaAutoscaler(settings);
    this.tickSeconds = Math.max(1, settings.tick().toSeconds());
    this.ready = readyAtStart;
  }

  /** Constant concurrency for {@code seconds}. */
  LoadRun hold(double concurrency, int seconds) {
    return curve(s -> concurrency, seconds);
  }

  /** Concurrency from {@code from} to {@code to} in equal steps over {@code seconds}. */
  LoadRun ramp(double from, double to, int seconds) {
    return curve(s -> from + (to - from) * (s + 1) / seconds, seconds);
  }

  /** Concurrency given per second of this phase, starting at 0. */
  LoadRun curve(IntToDoubleFunction concurrencyAt, int seconds) {
    for (int s = 0; s < seconds; s++) {
      second++;
      double concurrency = concurrencyAt.applyAsDouble(s);
      if (concurrency > 0) {
        autoscaler.record(new RevisionLoad(REVISION, now(), concurrency,
            concurrency * REQUESTS_PER_SECOND_PER_IN_FLIGHT, 0));
      }
      if (second % tickSeconds == 0) {
        int readyBefore = ready;
        ScaleDecision decision = autoscaler.decide(now(), ready);
        ready = decision.desiredReplicas();
        steps.add(new Step(second, concurrency, readyBefore, decision));
      }
    }
    return this;
  }

  /** A request arrives at zero replicas now. */
  ScaleDecision activate() {
    ScaleDecision decision = autoscaler.activate(now());
    ready = decision.desiredReplicas();
    return decision;
  }

  Instant now() {
    return START.plus(Duration.ofSeconds(second));
  }

  long second() {
    return second;
  }

  List<Step> steps() {
    return steps;
  }

  List<Step> stepsBetween(long fromSecond, long toSecond) {
    return steps.stream().filter(s -> s.second() > fromSecond && s.second() <= toSecond).toList();
  }

  Step last() {
    return steps.getLast();
  }

  /** The first decision after {@code fromSecond} that matches. */
  Optional<Step> firstAfter(long fromSecond, Predicate<Step> matches) {
    return steps.stream().filter(s -> s.second() > fromSecond).filter(matches).findFirst();
  }

  KpaAutoscaler autoscaler() {
    return autoscaler;
  }
}
