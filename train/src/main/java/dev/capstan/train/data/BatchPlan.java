package dev.capstan.train.data;

/**
 * Which samples each rank trains on. The training set is read as an endless stream of epochs, each
 * a seeded shuffle; global batch {@code k} is stream positions {@code [k·B, (k+1)·B)}, and rank
 * {@code r} of {@code n} takes the contiguous slice {@code [B·r/n, B·(r+1)/n)} of it. The position
 * in the stream (samples consumed) is the whole data state, so resuming needs only that number.
 */
public final class BatchPlan {
  private final int datasetSize;
  private final int globalBatch;
  private final long seed;
  private long cachedEpoch = -1;
  private int[] cachedOrder;

  public BatchPlan(int datasetSize, int globalBatch, long seed) {
    if (datasetSize <= 0) {
      throw new IllegalArgumentException("no training samples");
    }
    this.datasetSize = datasetSize;
    this.globalBatch = globalBatch;
    this.seed = seed;
  }

  /** The sample indices rank {@code rank} of {@code worldSize} trains on for the batch starting at {@code position}. */
  public int[] shard(long position, int rank, int worldSize) {
    int from = (int) ((long) globalBatch * rank / worldSize);
    int to = (int) ((long) globalBatch * (rank + 1) / worldSize);
    int[] indices = new int[to - from];
    for (int i = 0; i < indices.length; i++) {
      indices[i] = sampleAt(position + from + i);
    }
    return indices;
  }

  private int sampleAt(long position) {
    long epoch = position / datasetSize;
    if (epoch != cachedEpoch) {
      cachedOrder = Permutation.of(datasetSize, seed * 1_000_003L + epoch);
      cachedEpoch = epoch;
    }
    return cachedOrder[(int) (position % datasetSize)];
  }
}
