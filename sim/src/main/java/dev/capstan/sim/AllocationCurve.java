package dev.capstan.sim;

/**
 * Allocated GPU share by arrived workload, both in percent of the cluster's GPU capacity, sampled
 * after every arrival and read at each whole percent as the authors' analysis does: the mean of the
 * samples whose arrived share rounds to that percent, else of those within one percent of it.
 */
public final class AllocationCurve {
  private final double[] sum;
  private final int[] count;
  private final long capacityMilli;

  public AllocationCurve(long capacityMilli, int maxPercent) {
    if (capacityMilli <= 0) {
      throw new IllegalArgumentException("the cluster has no GPUs");
    }
    this.capacityMilli = capacityMilli;
    this.sum = new double[maxPercent + 1];
    this.count = new int[maxPercent + 1];
  }

  public int maxPercent() {
    return sum.length - 1;
  }

  /** One sample: milli-GPU asked by the tasks arrived so far and milli-GPU allocated now. */
  public void record(long arrivedMilli, long allocatedMilli) {
    int pct = (int) Math.rint(100.0 * arrivedMilli / capacityMilli);
    if (pct < 0 || pct >= sum.length) {
      return;
    }
    sum[pct] += Math.rint(10_000.0 * allocatedMilli / capacityMilli) / 100;
    count[pct]++;
  }

  /** The allocated percent at {@code arrivedPercent}, or NaN where no sample lies near it. */
  public double at(int arrivedPercent) {
    if (count[arrivedPercent] > 0) {
      return round2(sum[arrivedPercent] / count[arrivedPercent]);
    }
    double s = 0;
    int n = 0;
    for (int p = Math.max(0, arrivedPercent - 1); p <= Math.min(maxPercent(), arrivedPercent + 1); p++) {
      s += sum[p];
      n += count[p];
    }
    return n == 0 ? Double.NaN : round2(s / n);
  }

  private static double round2(double v) {
    return Math.rint(v * 100) / 100;
  }
}
