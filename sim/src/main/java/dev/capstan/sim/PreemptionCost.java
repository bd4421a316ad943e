package dev.capstan.sim;

/**
 * What a preemption costs a job that checkpoints every {@code checkpointInterval} seconds of
 * progress: the work since its last checkpoint is lost, counted as one whole interval (never more
 * than it did in the run that is stopped), and it makes no progress for {@code restart} seconds
 * once it runs again (start, restore the checkpoint).
 */
public record PreemptionCost(long checkpointInterval, long restart) {
  public static final PreemptionCost DEFAULT = new PreemptionCost(600, 60);

  public PreemptionCost {
    if (checkpointInterval < 1 || checkpointInterval > PhillyTraceCsv.MAX_DURATION) {
      throw new IllegalArgumentException("checkpoint interval must be 1.." + PhillyTraceCsv.MAX_DURATION + " s, not " + checkpointInterval);
    }
    if (restart < 0 || restart > PhillyTraceCsv.MAX_DURATION) {
      throw new IllegalArgumentException("restart time must be 0.." + PhillyTraceCsv.MAX_DURATION + " s, not " + restart);
    }
  }

  /** The work a job loses when stopped after {@code progressThisRun} seconds of progress since it (re)started. */
  public double lostWork(double progressThisRun) {
    return Math.min(checkpointInterval, Math.max(0, progressThisRun));
  }
}
