package dev.capstan.api.serving;

import java.time.Duration;
import java.util.Objects;

/**
 * How each replica batches requests: at most {@code maxBatchSize} rows per engine call, the first
 * request waiting at most {@code maxLatency} for company, {@code maxQueue} requests waiting,
 * {@code workers} engine calls at once (0: the replica decides, one per core).
 */
public record Batching(int maxBatchSize, Duration maxLatency, int maxQueue, int workers) {
  public static final int DEFAULT_MAX_QUEUE = 1024;
  /** No batching: one request per engine call. */
  public static final Batching NONE = new Batching(1, Duration.ZERO, DEFAULT_MAX_QUEUE, 0);

  public Batching {
    Objects.requireNonNull(maxLatency, "maxLatency");
  }

  /** The same settings as written in {@code status.revisions[].predictor.batching}. */
  public BatchingSpec toSpec() {
    BatchingSpec spec = new BatchingSpec();
    spec.setMaxBatchSize(maxBatchSize);
    spec.setMaxLatency(DurationText.format(maxLatency));
    spec.setMaxQueue(maxQueue);
    spec.setWorkers(workers == 0 ? null : workers);
    return spec;
  }
}
