package dev.capstan.core.queue;

import java.util.List;
import java.util.OptionalDouble;

/**
 * Priority by attained service, discretised (Tiresias' 2D-LAS): a workload's service is the
 * GPU-seconds it has run since it last entered the top level; {@code thresholds} (ascending) split
 * service into levels, and the less service, the higher the priority, so short jobs pass long ones
 * without anyone knowing durations. Starvation guard: a workload below the top level that has
 * waited {@code starvationFactor} times as long as it ran since it entered the top level goes back
 * to it (its service counts from zero again); 0 turns the guard off. The caller keeps the accounts
 * (a workload's {@link QueueableWorkload#priority()} is {@link #priority} of its service); this
 * holds the rule, so every caller ranks alike.
 */
public record AttainedServiceLevels(List<Long> thresholds, double starvationFactor) {
  public AttainedServiceLevels {
    thresholds = List.copyOf(thresholds);
    for (int i = 0; i < thresholds.size(); i++) {
      if (thresholds.get(i) <= 0 || i > 0 && thresholds.get(i) <= thresholds.get(i - 1)) {
        throw new IllegalArgumentException("thresholds must be positive and ascending, not " + thresholds);
      }
    }
    if (!(starvationFactor >= 0) || Double.isInfinite(starvationFactor)) {
      throw new IllegalArgumentException("starvationFactor must be 0 or more, not " + starvationFactor);
    }
  }

  public int levels() {
    return thresholds.size() + 1;
  }

  /** The level of a workload with this much service: 0 is the top. */
  public int level(double gpuSeconds) {
    int level = 0;
    while (level < thresholds.size() && gpuSeconds >= thresholds.get(level)) {
      level++;
    }
    return level;
  }

  /** Its priority: the top level highest ({@code levels() - 1}), the last level 0. */
  public int priority(double gpuSeconds) {
    return levels() - 1 - level(gpuSeconds);
  }

  /** Seconds until a workload running on {@code gpus} GPUs with this service drops a level; empty at the last level. */
  public OptionalDouble secondsToNextLevel(double gpuSeconds, int gpus) {
    int level = level(gpuSeconds);
    if (level == thresholds.size() || gpus <= 0) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of((thresholds.get(level) - gpuSeconds) / gpus);
  }

  /**
   * Whether a waiting workload goes back to the top level: it is below it, it ran {@code ranSeconds}
   * (wall time) since it entered the top level, and has waited {@code waitedSeconds} since then.
   */
  public boolean starved(double gpuSeconds, double ranSeconds, double waitedSeconds) {
    return starvationFactor > 0 && level(gpuSeconds) > 0 && ranSeconds > 0 && waitedSeconds >= ranSeconds * starvationFactor;
  }

  /** Seconds of further waiting until {@link #starved} holds; empty if it never will while it waits. */
  public OptionalDouble secondsToStarvation(double gpuSeconds, double ranSeconds, double waitedSeconds) {
    if (starvationFactor == 0 || level(gpuSeconds) == 0 || ranSeconds <= 0) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(Math.max(0, ranSeconds * starvationFactor - waitedSeconds));
  }
}
