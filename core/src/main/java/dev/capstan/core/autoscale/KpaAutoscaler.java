package dev.capstan.core.autoscale;

import dev.capstan.core.serving.RevisionLoad;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Knative's Pod Autoscaler (KPA) for one revision, as a pure policy: the gateway's per-second
 * figures go in through {@link #record}, the caller asks {@link #decide} every tick with the time
 * and the ready replicas, and {@link #activate} when a request waits at zero. No threads, no clock
 * of its own: the same inputs give the same decisions. Not thread-safe: a caller fed from several
 * threads serializes the calls.
 *
 * <p>Each decision: the stable-window and panic-window averages divided by the per-replica target
 * (rounded up) give two replica counts, each kept within what the scale-up and scale-down rates
 * allow from the ready replicas. When the panic count reaches the panic threshold times the ready
 * replicas, panic mode starts (or is extended); it ends once a whole stable window has passed since
 * the last trigger. In panic mode the larger count wins and the count never goes down. With no
 * traffic the last replica stays until the stable window plus the grace period have passed without
 * traffic, then the revision goes to zero (when minReplicas allows). Min and max replicas bound the
 * result last. A clock that goes back restarts the windows, the idle clock and any panic from the
 * new time. See docs/serving.md, "Autoscaling".
 */
public final class KpaAutoscaler {
  private final AutoscalingSettings settings;
  private final MetricWindow window;
  private Instant lastTraffic;
  private Instant lastPanicTrigger;
  private int maxPanicReplicas;

  public KpaAutoscaler(AutoscalingSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.window = new MetricWindow(settings.stableWindow());
  }

  public AutoscalingSettings settings() {
    return settings;
  }

  /** One report of the gateway (once a second per revision with traffic). */
  public void record(RevisionLoad load) {
    window.add(load.at(), metricOf(load));
    if (load.averageConcurrency() > 0 || load.requestsPerSecond() > 0 || load.waiting() > 0) {
      noteTraffic(load.at());
    } else {
      noteObserved(load.at());
    }
  }

  /** The replicas wanted at {@code now}, given how many are ready. */
  public ScaleDecision decide(Instant now, int readyReplicas) {
    if (readyReplicas < 0) {
      throw new IllegalArgumentException("readyReplicas must not be negative: " + readyReplicas);
    }
    noteObserved(now);
    window.restartIfClockWentBack(now);
    double stable = window.average(now, settings.stableWindow());
    double panic = window.average(now, settings.panicWindow());
    double target = settings.perReplicaTarget();
    double ready = Math.max(1, readyReplicas);
    double maxUp = Math.ceil(settings.maxScaleUpRate() * ready);
    double maxDown = Math.floor(ready / settings.maxScaleDownRate());
    double stableWanted = Math.ceil(stable / target);
    double panicWanted = Math.ceil(panic / target);

    updatePanic(now, panicWanted / ready >= settings.panicThresholdPercentage() / 100);
    int desired = (int) Math.min(Math.max(stableWanted, maxDown), maxUp);
    ScaleReason reason = stableWanted > maxUp ? ScaleReason.SCALE_UP_LIMITED
        : stableWanted < maxDown ? ScaleReason.SCALE_DOWN_LIMITED : ScaleReason.STABLE;
    if (panicking()) {
      int panicReplicas = (int) Math.min(Math.max(panicWanted, maxDown), maxUp);
      maxPanicReplicas = Math.max(maxPanicReplicas, Math.max(desired, panicReplicas));
      desired = maxPanicReplicas;
      reason = ScaleReason.PANIC;
    }
    if (desired == 0) {
      boolean idleLongEnough = !now.isBefore(lastTraffic.plus(settings.idleBeforeZero()));
      desired = idleLongEnough ? 0 : 1;
      reason = idleLongEnough ? ScaleReason.SCALED_TO_ZERO : ScaleReason.IDLE_GRACE;
    }
    return bounded(desired, reason, stable, panic);
  }

  /** A request waits for this revision at zero replicas: at least one replica at once. */
  public ScaleDecision activate(Instant now) {
    noteObserved(now);
    noteTraffic(now);
    window.restartIfClockWentBack(now);
    double stable = window.average(now, settings.stableWindow());
    double panic = window.average(now, settings.panicWindow());
    return bounded(Math.max(1, settings.minReplicas()), ScaleReason.ACTIVATING, stable, panic);
  }

  /** Whether panic mode is on: a trigger less than one stable window ago. */
  public boolean panicking() {
    return lastPanicTrigger != null;
  }

  /** How long the revision has seen no traffic at {@code now} (zero before anything was seen). */
  public Duration idleFor(Instant now) {
    return lastTraffic == null || now.isBefore(lastTraffic) ? Duration.ZERO : Duration.between(lastTraffic, now);
  }

  private void updatePanic(Instant now, boolean overThreshold) {
    if (lastPanicTrigger != null && now.isBefore(lastPanicTrigger)) {
      lastPanicTrigger = now; // the clock went back: the panic lasts a stable window from now, not from its future
    }
    if (overThreshold) {
      lastPanicTrigger = now;
    } else if (lastPanicTrigger != null && lastPanicTrigger.plus(settings.stableWindow()).isBefore(now)) {
      lastPanicTrigger = null;
      maxPanicReplicas = 0;
    }
  }

  private ScaleDecision bounded(int desired, ScaleReason reason, double stable, double panic) {
    if (desired < settings.minReplicas()) {
      return new ScaleDecision(settings.minReplicas(), panicking(), ScaleReason.MIN_REPLICAS, stable, panic);
    }
    if (desired > settings.maxReplicas()) {
      return new ScaleDecision(settings.maxReplicas(), panicking(), ScaleReason.MAX_REPLICAS, stable, panic);
    }
    return new ScaleDecision(desired, panicking(), reason, stable, panic);
  }

  private double metricOf(RevisionLoad load) {
    return switch (settings.metric()) {
      case CONCURRENCY -> load.averageConcurrency();
      case RPS -> load.requestsPerSecond();
    };
  }

  /** Traffic at {@code at}: the idle clock restarts. */
  private void noteTraffic(Instant at) {
    if (lastTraffic == null || at.isAfter(lastTraffic)) {
      lastTraffic = at;
    }
  }

  /**
   * The first thing seen starts the idle clock, so a new revision with no traffic still waits before
   * zero; so does a time before the last traffic (the clock went back), else the revision would wait
   * for the clock to catch up.
   */
  private void noteObserved(Instant at) {
    if (lastTraffic == null || at.isBefore(lastTraffic)) {
      lastTraffic = at;
    }
  }
}
