package dev.capstan.api.serving;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Min;

/**
 * {@code spec.predictor.batching}: how each replica groups requests into one engine call (the
 * model server's {@code batching} settings). Every field optional.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class BatchingSpec {
  /** Most rows per engine call; default 1 (no batching). */
  @Min(1)
  private Integer maxBatchSize;

  /** How long the first request of a batch may wait for company: {@code 500us}, {@code 2ms}; default 0. */
  private String maxLatency;

  /** Most requests waiting per replica; default 1024. */
  @Min(1)
  private Integer maxQueue;

  /** Engine calls at once per replica; default: the replica decides (one per core). */
  @Min(1)
  private Integer workers;

  public Integer getMaxBatchSize() {
    return maxBatchSize;
  }

  public void setMaxBatchSize(Integer maxBatchSize) {
    this.maxBatchSize = maxBatchSize;
  }

  public String getMaxLatency() {
    return maxLatency;
  }

  public void setMaxLatency(String maxLatency) {
    this.maxLatency = maxLatency;
  }

  public Integer getMaxQueue() {
    return maxQueue;
  }

  public void setMaxQueue(Integer maxQueue) {
    this.maxQueue = maxQueue;
  }

  public Integer getWorkers() {
    return workers;
  }

  public void setWorkers(Integer workers) {
    this.workers = workers;
  }
}
