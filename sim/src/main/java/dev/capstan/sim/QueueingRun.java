package dev.capstan.sim;

import java.util.Arrays;
import java.util.List;

/**
 * One replay's outcome: each job's times, and the summary: JCT (finish less arrival) average,
 * median and 99th percentile; queueing delay (time not admitted before it finished) average and
 * median; allocated GPUs as a share of the cluster from the first arrival to the last completion;
 * preemptions; scheduling cycles run; jobs unfinished when the replay stopped at its horizon. An
 * unfinished job has no finish and counts in the summary as if it finished when the replay stopped,
 * so with any unfinished the JCT and queueing figures are lower bounds ({@link #jctAtLeast}).
 */
public record QueueingRun(String policy, long seed, List<Outcome> jobs, long cycles, int preemptions, double utilisation,
    Summary summary, double stoppedAt) {

  /** The job's JCT, or for one unfinished when the replay stopped, the lower bound the summary counts. */
  public double jctAtLeast(Outcome o) {
    return (Double.isNaN(o.finish()) ? stoppedAt : o.finish()) - o.arrival();
  }

  /** A job's outcome, in seconds from the trace's first arrival. */
  public record Outcome(int id, long arrival, int gpus, long duration, double firstStart, double finish, double queued,
      int preemptions) {
    public double jct() {
      return finish - arrival;
    }
  }

  public record Summary(double averageJct, double medianJct, double p99Jct, double averageQueued, double medianQueued, int unfinished) {}

  /** The outcome of a replay that stopped at {@code stoppedAt}. */
  static QueueingRun of(String policy, long seed, List<SimulatedJob> jobs, long cycles, int preemptions,
      double allocatedGpuSeconds, long gpus, double stoppedAt) {
    List<Outcome> outcomes = jobs.stream().map(j -> new Outcome(j.trace.id(), j.trace.arrival(), j.trace.gpus(),
        j.trace.duration(), j.firstStart, j.finish, j.finish - j.trace.arrival() - admittedBeforeFinish(j), j.preemptions)).toList();
    int unfinished = (int) jobs.stream().filter(j -> Double.isNaN(j.finish)).count();
    double first = jobs.stream().mapToDouble(j -> j.trace.arrival()).min().orElse(0);
    double last = unfinished > 0 ? stoppedAt : jobs.stream().mapToDouble(j -> j.finish).max().orElse(0);
    double span = last - first;
    double utilisation = span <= 0 ? 0 : allocatedGpuSeconds / (gpus * span);
    double[] jct = jobs.stream().mapToDouble(j -> endOrStop(j, stoppedAt) - j.trace.arrival()).sorted().toArray();
    double[] queued = jobs.stream().mapToDouble(j -> endOrStop(j, stoppedAt) - j.trace.arrival() - admittedBeforeFinish(j))
        .sorted().toArray();
    Summary summary = new Summary(mean(jct), percentile(jct, 50), percentile(jct, 99), mean(queued), percentile(queued, 50), unfinished);
    return new QueueingRun(policy, seed, outcomes, cycles, preemptions, utilisation, summary, stoppedAt);
  }

  /** When the job finished, or for one unfinished, when the replay stopped. */
  private static double endOrStop(SimulatedJob j, double stoppedAt) {
    return Double.isNaN(j.finish) ? stoppedAt : j.finish;
  }

  /**
   * The seconds the job was admitted before it finished: one that ends between ticks holds its GPUs
   * to the tick, and the time it held them past its finish ({@code -remaining}) is no time it ran.
   */
  private static double admittedBeforeFinish(SimulatedJob j) {
    return Double.isNaN(j.finish) ? j.admittedSeconds : j.admittedSeconds + Math.min(0, j.remaining);
  }

  private static double mean(double[] v) {
    return Arrays.stream(v).average().orElse(Double.NaN);
  }

  /** The nearest-rank percentile of sorted values. */
  static double percentile(double[] sorted, double p) {
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
