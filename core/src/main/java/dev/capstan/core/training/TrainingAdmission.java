package dev.capstan.core.training;

import dev.capstan.api.queue.QueueModel;
import dev.capstan.api.training.TrainingJob;
import dev.capstan.api.training.TrainingJobModel;
import dev.capstan.core.queue.AdmissionDecision;
import dev.capstan.core.queue.AdmittedWorkload;
import dev.capstan.core.queue.Capacity;
import dev.capstan.core.queue.QueueStore;
import dev.capstan.core.queue.QueueableWorkload;
import dev.capstan.core.queue.ResourceAmounts;
import dev.capstan.core.queue.ResourceList;
import dev.capstan.core.queue.SchedulerPolicy;
import dev.capstan.core.queue.SchedulingCycle;
import dev.capstan.core.queue.SchedulingResult;
import dev.capstan.core.queue.SchedulingSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * TrainingJobs as the scheduler's snapshot: a job whose status says Admitted holds its quota (and,
 * with a Preempted condition, is stopping); the others that are neither finished nor suspended
 * are pending. Runs one {@link SchedulingCycle} over them.
 */
public final class TrainingAdmission {
  private TrainingAdmission() {}

  /** A cycle with no queues on one machine's capacity: today's gang admission, oldest first. */
  public static Map<String, AdmissionDecision> decide(List<TrainingJob> jobs, ResourceAmounts capacity) {
    return schedule(jobs, QueueStore.Setup.NONE, Capacity.host(ResourceList.from(capacity)), Instant.EPOCH, SchedulerPolicy.LOCAL).decisions();
  }

  /**
   * Whether a job could never be admitted on {@code capacity} even with nothing else running (a
   * gang larger than the whole of it): the refusal the cycle would give, for an apply-time check.
   */
  public static Optional<AdmissionDecision.Rejected> neverFits(TrainingJobModel model, Capacity capacity) {
    TrainingWorkload alone = new TrainingWorkload("alone", model, Instant.EPOCH);
    SchedulingSnapshot empty = new SchedulingSnapshot(Instant.EPOCH, List.of(), Map.of(), Map.of(), List.of(), List.of(alone), capacity);
    return SchedulingCycle.run(empty, SchedulerPolicy.LOCAL).decision(alone.key()) instanceof AdmissionDecision.Rejected r
        ? Optional.of(r) : Optional.empty();
  }

  public static SchedulingResult schedule(List<TrainingJob> jobs, QueueStore.Setup queues, Capacity capacity, Instant now,
      SchedulerPolicy policy) {
    List<AdmittedWorkload> admitted = new ArrayList<>();
    List<QueueableWorkload> pending = new ArrayList<>();
    for (TrainingJob job : jobs) {
      TrainingJobModel model;
      try {
        model = TrainingJobModel.from(job);
      } catch (RuntimeException e) {
        continue; // an invalid (or unreadable) job is failed, or isolated, by its own reconcile
      }
      TrainingJobState state = job.getStatus() == null ? TrainingJobState.Created : TrainingJobState.parse(job.getStatus().getState());
      // A newer spec re-runs a finished job (as the planner decides), but not one being deleted.
      boolean deleting = job.getMetadata().getDeletionTimestamp() != null;
      boolean finished = state.isTerminal() && (deleting || !StatusDraft.rerunRequested(job.getStatus(), model.generation()));
      if (finished || model.runPolicy().suspend()) {
        continue;
      }
      TrainingWorkload workload = TrainingWorkload.of(job, model);
      if (AdmissionRecord.holds(job.getStatus())) {
        admitted.add(new AdmittedWorkload(workload, queueOf(job), AdmissionRecord.admittedAt(job.getStatus()),
            AdmissionRecord.eviction(job.getStatus())).on(workload.nodes(AdmissionRecord.placement(job.getStatus()))));
      } else {
        pending.add(workload);
      }
    }
    SchedulingSnapshot snapshot = new SchedulingSnapshot(now, queues.queues(), queues.priorityClasses(), queues.namespaceLabels(), admitted, pending,
        capacity);
    return SchedulingCycle.run(snapshot, policy);
  }

  public static String key(TrainingJob job) {
    return TrainingJob.KIND + " " + job.getMetadata().getNamespace() + "/" + job.getMetadata().getName();
  }

  /** The queue the job was admitted to, as its Admitted condition's reason-free record: the status's queue field. */
  private static String queueOf(TrainingJob job) {
    String queue = job.getStatus().getQueue();
    return queue == null ? QueueModel.DEFAULT : queue;
  }
}
