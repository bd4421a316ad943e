package dev.capstan.api.training;

import java.math.BigDecimal;

/**
 * The largest sizes, counts and quantities a TrainingJob may ask for. Each keeps one job from
 * exhausting the control plane (memory, file descriptors, processes) or overflowing the
 * arithmetic of admission; validation rejects a larger value with its field path. The api README
 * lists them.
 */
public final class TrainingJobLimits {
  /** Replicas in one group ({@code spec.replicas.<role>.count}). */
  public static final int MAX_REPLICAS_PER_GROUP = 512;
  /** Replicas in the whole job, over every group. */
  public static final int MAX_REPLICAS_PER_JOB = 1024;
  /** Replica groups (roles) in {@code spec.replicas}. */
  public static final int MAX_GROUPS = 16;
  /** Containers in one replica's pod template. */
  public static final int MAX_CONTAINERS = 16;
  /** {@code spec.nprocPerNode}. */
  public static final int MAX_NPROC_PER_NODE = 256;
  /** Entries in one container's {@code env}. */
  public static final int MAX_ENV = 1024;
  /** Characters in an environment variable's name. */
  public static final int MAX_ENV_NAME = 256;
  /** Entries in one container's {@code command}, and in its {@code args}. */
  public static final int MAX_ARGS = 1024;
  /** Characters in one {@code command}/{@code args} entry or one {@code env} value (32 KiB). */
  public static final int MAX_STRING = 32 * 1024;
  /** Entries in one container's {@code ports}. */
  public static final int MAX_PORTS = 64;
  /** {@code spec.runPolicy.backoffLimit} and {@code spec.elasticPolicy.maxRestarts}. */
  public static final int MAX_BACKOFF_LIMIT = 1000;
  /** {@code activeDeadlineSeconds} and {@code ttlSecondsAfterFinished}: ten years. */
  public static final long MAX_SECONDS = 10L * 365 * 24 * 3600;
  /** Entries in {@code spec.elasticPolicy.rdzvConf}. */
  public static final int MAX_RDZV_CONF = 64;
  /** Entries of {@code spec.inputs}, and characters in one. */
  public static final int MAX_INPUTS = 64;
  public static final int MAX_INPUT_URI = 4096;
  /** CPU cores, in one quantity and in the whole job (count × every container). */
  public static final BigDecimal MAX_CPU = BigDecimal.valueOf(1_000_000);
  /** Memory (bytes), GPUs and any other resource, in one quantity and in the whole job: 1Ei. */
  public static final BigDecimal MAX_AMOUNT = BigDecimal.valueOf(1L << 60);

  private TrainingJobLimits() {}

  /** The largest amount of a resource, in its base unit (cores for cpu, bytes for memory). */
  static BigDecimal maxAmount(String resource) {
    return "cpu".equals(resource) ? MAX_CPU : MAX_AMOUNT;
  }

  /** How a bound reads in a message: {@code 1000000} cores or {@code 1Ei}. */
  static String describeMax(String resource) {
    return "cpu".equals(resource) ? MAX_CPU.toPlainString() : "1Ei";
  }
}
