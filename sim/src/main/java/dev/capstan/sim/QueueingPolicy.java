package dev.capstan.sim;

import dev.capstan.api.queue.NamespaceMatch;
import dev.capstan.api.queue.PreemptionRules;
import dev.capstan.api.queue.QueueModel;
import dev.capstan.api.queue.QueueingStrategy;
import dev.capstan.api.queue.StopPolicy;
import dev.capstan.core.queue.AttainedServiceLevels;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * The queueing policies compared, each expressed as what core's scheduler is given: one Queue
 * (strategy, preemption rules, minimum runtime) and each job's priority. Nothing else differs:
 * ordering, fit and preemption are core's.
 * <ul>
 *   <li>{@code fifo}: by arrival, best-effort (a job that does not fit lets later ones by: Kueue's
 *       default and Capstan's implicit queue), no preemption.</li>
 *   <li>{@code sjf}: the shortest job first by its true duration (an oracle), best-effort (a job that
 *       does not fit lets smaller ones by), no preemption.</li>
 *   <li>{@code las}: Tiresias' discretised 2D-LAS: two levels split at 3,600 GPU-seconds (its
 *       simulator's default), FIFO within a level, a higher level preempts a lower one, a job that
 *       waited twice what it ran goes back to the top.</li>
 *   <li>{@code capstan}: Capstan's default: the same rule in four levels (1, 10 and 100 GPU-hours),
 *       a starvation guard at eight times the time run (a starved job preempts in turn, so a low
 *       factor turns an overloaded queue into a round of preemptions), and checkpoint-aware
 *       preemption: a job is not preempted before it has run its restart time and two checkpoint
 *       intervals since it started, so every run keeps at least one interval of work. (With one
 *       interval, a job stopped at its minimum loses all it did, and jobs that starve and preempt
 *       each other in turn make no progress at all.)</li>
 * </ul>
 */
public enum QueueingPolicy {
  FIFO("fifo", QueueingStrategy.BestEffortFIFO, Optional.empty(), false),
  SJF("sjf", QueueingStrategy.BestEffortFIFO, Optional.empty(), false),
  LAS("las", QueueingStrategy.BestEffortFIFO, Optional.of(new AttainedServiceLevels(List.of(3_600L), 2)), false),
  CAPSTAN("capstan", QueueingStrategy.BestEffortFIFO,
      Optional.of(new AttainedServiceLevels(List.of(3_600L, 36_000L, 360_000L), 8)), true);

  private final String policyName;
  private final QueueingStrategy strategy;
  private final Optional<AttainedServiceLevels> levels;
  private final boolean checkpointAware;

  QueueingPolicy(String policyName, QueueingStrategy strategy, Optional<AttainedServiceLevels> levels, boolean checkpointAware) {
    this.policyName = policyName;
    this.strategy = strategy;
    this.levels = levels;
    this.checkpointAware = checkpointAware;
  }

  public String policyName() {
    return policyName;
  }

  public static QueueingPolicy named(String name) {
    return Arrays.stream(values()).filter(p -> p.policyName.equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown policy '" + name + "'; expected one of "
            + Arrays.stream(values()).map(QueueingPolicy::policyName).collect(Collectors.joining(", "))));
  }

  /** Service levels, for the policies that rank by attained service. */
  public Optional<AttainedServiceLevels> levels() {
    return levels;
  }

  /** Whether a waiting job may preempt a running one of lower priority (the policies that rank by attained service). */
  public boolean preempts() {
    return levels.isPresent();
  }

  /** The one Queue all jobs wait in. */
  public QueueModel queue(PreemptionCost cost) {
    PreemptionRules rules = !preempts() ? PreemptionRules.NEVER
        : new PreemptionRules(PreemptionRules.WithinQueue.LowerPriority, PreemptionRules.Reclaim.Never,
            PreemptionRules.BorrowWithinCohort.Never, OptionalInt.empty());
    Duration minimumRuntime = checkpointAware ? Duration.ofSeconds(2 * cost.checkpointInterval() + cost.restart()) : Duration.ZERO;
    return new QueueModel(QueueModel.DEFAULT, 0, NamespaceMatch.ANY, Optional.empty(), strategy, Map.of(), true, rules, 1.0,
        StopPolicy.None, minimumRuntime);
  }

  /** A job's priority now: none (arrival order), minus its true duration (SJF), or its service level. */
  Optional<Integer> priority(SimulatedJob job) {
    if (this == SJF) {
      return Optional.of((int) -Math.min(Integer.MAX_VALUE, job.trace.duration()));
    }
    return levels.map(l -> l.priority(job.service));
  }
}
