package dev.capstan.core.queue;

import java.time.Instant;
import java.util.Optional;

/**
 * A workload holding quota in {@code queue} since {@code admittedAt}; {@code eviction} is present
 * while it stops after being preempted (it still holds its quota until it has stopped).
 */
public record AdmittedWorkload(QueueableWorkload workload, String queue, Instant admittedAt, Optional<Eviction> eviction) {
  public AdmittedWorkload(QueueableWorkload workload, String queue, Instant admittedAt) {
    this(workload, queue, admittedAt, Optional.empty());
  }

  public String key() {
    return workload.key();
  }
}
