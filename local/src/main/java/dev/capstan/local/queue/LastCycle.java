package dev.capstan.local.queue;

import dev.capstan.core.queue.AdmissionDecision;
import dev.capstan.core.queue.QueueStore;
import dev.capstan.core.queue.SchedulingResult;
import java.util.Map;

/**
 * Keeps what the training loop's latest scheduling cycle decided, as it records it through this
 * store, so that serving counts exactly the training jobs that cycle let hold capacity (admitted,
 * or preempted and still stopping) instead of working admission out a second way.
 */
public final class LastCycle implements QueueStore {
  private final QueueStore store;
  private volatile Map<String, AdmissionDecision> decisions = Map.of();

  public LastCycle(QueueStore store) {
    this.store = store;
  }

  @Override
  public Setup read() {
    return store.read();
  }

  @Override
  public void record(SchedulingResult result) {
    store.record(result);
    decisions = Map.copyOf(result.decisions());
  }

  /** Whether the latest cycle let the workload with this key hold capacity; none does before the first cycle. */
  public boolean holdsCapacity(String key) {
    AdmissionDecision d = decisions.get(key);
    return d instanceof AdmissionDecision.Admitted || d instanceof AdmissionDecision.Preempted;
  }
}
