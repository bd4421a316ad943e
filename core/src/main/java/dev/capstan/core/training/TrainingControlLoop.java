package dev.capstan.core.training;

import dev.capstan.api.training.TrainingJob;
import dev.capstan.core.queue.AdmissionDecision;
import dev.capstan.core.queue.ResourceAmounts;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/** One pass over every TrainingJob: an admission cycle on a snapshot, then a reconcile of each. */
public final class TrainingControlLoop {
  private final TrainingJobStore store;
  private final TrainingJobController controller;
  private final Supplier<ResourceAmounts> capacity;

  public TrainingControlLoop(TrainingJobStore store, TrainingJobController controller, Supplier<ResourceAmounts> capacity) {
    this.store = store;
    this.controller = controller;
    this.capacity = capacity;
  }

  /** Returns the soonest time any job asked to be looked at again. */
  public Optional<Duration> pass() {
    List<TrainingJob> jobs = store.list();
    Map<String, AdmissionDecision> admission = TrainingAdmission.decide(jobs, capacity.get());
    Optional<Duration> soonest = Optional.empty();
    for (TrainingJob job : jobs) {
      AdmissionDecision decision = admission.getOrDefault(TrainingAdmission.key(job), AdmissionDecision.admitted());
      Optional<Duration> next = controller.reconcile(job, decision);
      if (next.isPresent() && (soonest.isEmpty() || next.get().compareTo(soonest.get()) < 0)) {
        soonest = next;
      }
    }
    return soonest;
  }
}
