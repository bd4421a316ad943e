package dev.capstan.core.training;

import dev.capstan.api.queue.QueueModel;
import dev.capstan.api.training.TrainingJob;
import dev.capstan.api.training.TrainingJobModel;
import dev.capstan.api.training.TrainingJobStatus;
import dev.capstan.core.queue.AdmissionDecision;
import dev.capstan.core.queue.Eviction;
import dev.capstan.core.queue.PreemptionReason;
import dev.capstan.core.queue.Shortfall;
import dev.capstan.core.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The one home of what a scheduling cycle's decision writes on a TrainingJob's status, and of
 * reading it back: the {@code Admitted} condition (set only here), the {@code Queued} condition and
 * its reason while the job waits, the {@code Preempted} condition with its reason and who
 * preempted it, and {@code status.queue} / {@code queuePosition}.
 *
 * <p>Locally the cycle runs inside the training loop's pass and hands each job's decision to the
 * planner, which writes it with {@link #write}. In a cluster the operator's leader-only cycle
 * writes it ({@link #recorded}) and the reconciler plans on {@link #read}: what the status
 * records. Either way only a cycle admits; the planner releases (a finished, suspended or
 * preempted-and-stopped job clears {@code Admitted}).
 *
 * <p>A cluster's cycle may also record, in the same write as the admission, the node chosen for
 * each replica ({@code status.placement}); it holds only while {@code Admitted} is true (a release
 * drops it), so a lost admission write leaves no pinning and a re-admission places afresh.
 */
public final class AdmissionRecord {
  /** The wait of a job no cycle has decided on yet. */
  static final String NOT_YET_DECIDED = "waiting for the scheduling cycle";

  private AdmissionRecord() {}

  /** Writes the decision's part of the status into the draft. A rejection is the planner's to record (the job fails). */
  static void write(StatusDraft status, AdmissionDecision decision) {
    switch (decision) {
      case AdmissionDecision.Waiting w -> {
        status.condition(StatusDraft.QUEUED, true, QueueReasons.of(w), w.reason());
        status.queue(w.queue(), w.position() > 0 ? w.position() : null);
      }
      case AdmissionDecision.Admitted a -> {
        status.queue(a.queue(), null);
        status.clear(StatusDraft.QUEUED, TrainingReason.Admitted, "admitted");
        status.clear(StatusDraft.PREEMPTED, TrainingReason.Admitted, "admitted again after a preemption");
        status.condition(StatusDraft.ADMITTED, true, TrainingReason.Admitted, "the whole gang fits; replicas may start");
      }
      case AdmissionDecision.Preempted p -> status.condition(StatusDraft.PREEMPTED, true, p.eviction().reason(),
          p.eviction().message());
      case AdmissionDecision.Rejected r -> { }
    }
  }

  /**
   * The job's status with {@code decision} written, when that changes it; empty when it does not,
   * or when the cycle has nothing to write: a job its reconciler has not recorded yet, a finished
   * one (a newer spec re-runs it only after its reconciler starts it over), or one being deleted.
   * {@code observedGeneration} stays the reconciler's.
   */
  public static Optional<TrainingJobStatus> recorded(TrainingJob job, AdmissionDecision decision, Instant now) {
    return recorded(job, decision, Optional.empty(), now);
  }

  /**
   * As {@link #recorded(TrainingJob, AdmissionDecision, Instant)}, with {@code placement} (node by
   * replica short name) replacing the recorded one when the decision admits: an empty map records
   * none, {@link Optional#empty()} keeps the one recorded. A decision that does not admit ignores it.
   */
  public static Optional<TrainingJobStatus> recorded(TrainingJob job, AdmissionDecision decision,
      Optional<Map<String, String>> placement, Instant now) {
    TrainingJobStatus previous = job.getStatus();
    if (previous == null || job.getMetadata().getDeletionTimestamp() != null
        || TrainingJobState.parse(previous.getState()).isTerminal()) {
      return Optional.empty();
    }
    TrainingJobModel model;
    try {
      model = TrainingJobModel.from(job);
    } catch (RuntimeException e) {
      return Optional.empty();
    }
    StatusDraft draft = new StatusDraft(previous, model, now);
    write(draft, decision);
    if (decision instanceof AdmissionDecision.Admitted) {
      placement.ifPresent(draft::placement);
    }
    TrainingJobStatus next = draft.build();
    next.setObservedGeneration(previous.getObservedGeneration());
    return Objects.equals(previous, next) ? Optional.empty() : Optional.of(next);
  }

  /**
   * What the cycle decided, as the status records it: admitted (and being preempted, while the
   * Preempted condition is true), else waiting with the Queued condition's message.
   */
  public static AdmissionDecision read(TrainingJobStatus status) {
    String queue = status == null || status.getQueue() == null ? QueueModel.DEFAULT : status.getQueue();
    if (holds(status)) {
      return eviction(status).<AdmissionDecision>map(e -> new AdmissionDecision.Preempted(queue, e))
          .orElse(new AdmissionDecision.Admitted(queue));
    }
    String why = condition(status, StatusDraft.QUEUED).map(Condition::getMessage).filter(m -> !m.isBlank()).orElse(NOT_YET_DECIDED);
    int position = status == null || status.getQueuePosition() == null ? 0 : status.getQueuePosition();
    return new AdmissionDecision.Waiting(status == null || status.getQueue() == null ? "" : status.getQueue(), position,
        List.of(Shortfall.about(Shortfall.Kind.Unschedulable, why)));
  }

  /** The node recorded for each replica (by short name) while the job is admitted; empty when none. */
  public static Map<String, String> placement(TrainingJobStatus status) {
    return holds(status) && status.getPlacement() != null ? Map.copyOf(status.getPlacement()) : Map.of();
  }

  /** Whether the status says the job holds its quota: its Admitted condition is true. */
  public static boolean holds(TrainingJobStatus status) {
    return condition(status, StatusDraft.ADMITTED).isPresent();
  }

  /** When the job was admitted, by its Admitted condition (the oldest time if unreadable). */
  static Instant admittedAt(TrainingJobStatus status) {
    return condition(status, StatusDraft.ADMITTED).map(c -> {
      try {
        return c.getLastTransitionTime() == null ? Instant.EPOCH : Instant.parse(c.getLastTransitionTime());
      } catch (RuntimeException e) {
        return Instant.EPOCH;
      }
    }).orElse(Instant.EPOCH);
  }

  /** A job being preempted: its Preempted condition is true while it still holds its quota. */
  static Optional<Eviction> eviction(TrainingJobStatus status) {
    return condition(status, StatusDraft.PREEMPTED).map(c -> new Eviction(Optional.empty(),
        Arrays.stream(PreemptionReason.values()).filter(r -> r.name().equals(c.getReason())).findFirst()
            .orElse(PreemptionReason.WithinQueue),
        c.getMessage() == null ? "preempted" : c.getMessage()));
  }

  private static Optional<Condition> condition(TrainingJobStatus status, String type) {
    if (status == null) {
      return Optional.empty();
    }
    return Conditions.find(status.getConditions(), type).filter(c -> "True".equals(c.getStatus()));
  }
}
