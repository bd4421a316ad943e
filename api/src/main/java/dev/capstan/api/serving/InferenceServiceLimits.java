package dev.capstan.api.serving;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * The largest sizes and counts an InferenceService may ask for, each keeping one service from
 * exhausting the control plane or the machine; validation refuses a value past one with its field
 * path. The api README lists them.
 */
public final class InferenceServiceLimits {
  /** {@code spec.predictor.maxReplicas} (and {@code minReplicas}). */
  public static final int MAX_REPLICAS = 1000;
  /** {@code spec.predictor.containerConcurrency}: Knative's own bound. */
  public static final int MAX_CONTAINER_CONCURRENCY = 1000;
  /** {@code spec.predictor.timeout}, seconds. */
  public static final int MAX_TIMEOUT_SECONDS = 3600;
  /** {@code spec.predictor.scaleTarget}, requests in flight or per second per replica. */
  public static final int MAX_SCALE_TARGET = 1_000_000;
  /** {@code spec.predictor.batching.maxBatchSize}. */
  public static final int MAX_BATCH_SIZE = 4096;
  /** {@code spec.predictor.batching.maxQueue}. */
  public static final int MAX_QUEUE = 65536;
  /** {@code spec.predictor.batching.workers}. */
  public static final int MAX_WORKERS = 256;
  /** {@code spec.predictor.batching.maxLatency}. */
  public static final Duration MAX_BATCH_LATENCY = Duration.ofSeconds(10);
  /** Characters in {@code storageUri}. */
  public static final int MAX_STORAGE_URI = 2048;
  /** Characters in {@code modelFormat.version} and {@code runtime}. */
  public static final int MAX_LABEL_TEXT = 63;
  /** Revisions are numbered 1..99999 (five digits, as Knative names them); numbers are never reused. */
  public static final int MAX_REVISION_NUMBER = 99_999;
  /** {@code metadata.name}: short enough for {@code {name}-predictor-00001} to be a 63-character DNS label. */
  public static final int MAX_NAME = 63 - RevisionNames.SUFFIX_LENGTH;
  /** Shortest {@code stableWindow} (Knative's is 6 s; shorter ones serve tests that need quick decisions). */
  public static final Duration MIN_STABLE_WINDOW = Duration.ofSeconds(1);
  /** Longest {@code stableWindow} and {@code scaleToZeroGracePeriod}. */
  public static final Duration MAX_WINDOW = Duration.ofHours(1);
  /** {@code maxScaleUpRate} and {@code maxScaleDownRate}: more than 1, at most this. */
  public static final double MAX_SCALE_RATE = 10_000;
  /** One quantity of cpu (cores) in {@code resources}. */
  public static final BigDecimal MAX_CPU = BigDecimal.valueOf(1_000_000);
  /** One quantity of memory (bytes), GPUs or any other resource: 1Ei. */
  public static final BigDecimal MAX_AMOUNT = BigDecimal.valueOf(1L << 60);

  private InferenceServiceLimits() {}
}
