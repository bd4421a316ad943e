package dev.capstan.core.training;

import dev.capstan.api.training.TrainingJob;
import dev.capstan.api.training.TrainingJobModel;
import dev.capstan.api.training.TrainingJobStatus;
import dev.capstan.api.validation.InvalidSpecException;
import dev.capstan.core.ports.Clock;
import dev.capstan.core.ports.EventSink;
import dev.capstan.core.queue.AdmissionDecision;
import dev.capstan.core.status.Conditions;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/** Reconciles one TrainingJob: observe → validate → plan → apply → status. */
public final class TrainingJobController {
  private final TrainingJobStore store;
  private final ReplicaBackend backend;
  private final EventSink events;
  private final Clock clock;

  public TrainingJobController(TrainingJobStore store, ReplicaBackend backend, EventSink events, Clock clock) {
    this.store = store;
    this.backend = backend;
    this.events = events;
    this.clock = clock;
  }

  /**
   * Runs one pass with the admission the job's status records (a cycle elsewhere wrote it, see
   * {@link AdmissionRecord}); returns when the job wants to be looked at again at the latest.
   */
  public Optional<Duration> reconcile(TrainingJob job) {
    return reconcile(job, AdmissionRecord.read(job.getStatus()), true);
  }

  /** Runs one pass with the decision a cycle just made for the job; returns when it wants to be looked at again at the latest. */
  public Optional<Duration> reconcile(TrainingJob job, AdmissionDecision admission) {
    return reconcile(job, admission, false);
  }

  private Optional<Duration> reconcile(TrainingJob job, AdmissionDecision admission, boolean recorded) {
    Observed observed = backend.observe(job);
    TrainingJobModel model;
    try {
      model = TrainingJobModel.from(job);
    } catch (InvalidSpecException e) {
      rejectInvalid(job, observed, e);
      return Optional.empty();
    }
    TrainingPlan plan = TrainingPlanner.plan(new PlanInput(model, job.getStatus(), observed, admission,
        backend.addressing(model), clock.now(), job.getMetadata().getDeletionTimestamp() != null, recorded));
    backend.apply(job, plan.actions());
    if (plan.removeJob()) {
      store.remove(job);
      return Optional.empty();
    }
    recordStatus(job, plan.status());
    return plan.requeueAfter();
  }

  private void rejectInvalid(TrainingJob job, Observed observed, InvalidSpecException e) {
    backend.apply(job, observed.replicas().keySet().stream()
        .map(id -> (ReplicaAction) new ReplicaAction.Stop(id, "the spec is invalid")).toList());
    if (job.getMetadata().getDeletionTimestamp() != null) {
      store.remove(job);
      return;
    }
    TrainingJobStatus status = job.getStatus() == null ? new TrainingJobStatus() : job.getStatus();
    TrainingJobStatus next = dev.capstan.api.codec.Manifests.copy(status, TrainingJobStatus.class);
    long generation = job.getMetadata().getGeneration() == null ? 1 : job.getMetadata().getGeneration();
    next.setState(TrainingJobState.Failed.name());
    next.setMessage(e.getMessage());
    next.setObservedGeneration(generation);
    next.setConditions(Conditions.set(next.getConditions(), StatusDraft.FAILED, true, TrainingReason.InvalidSpec,
        e.getMessage(), clock.now(), generation));
    recordStatus(job, next);
  }

  /**
   * Records a reconcile that threw: a {@code Stalled} condition (reason {@code ReconcileError}) and
   * a Warning event naming the job; its state and replicas are left as they are.
   */
  public void recordReconcileError(TrainingJob job, Throwable error, int failures, Duration retryIn) {
    String message = "reconcile failed (" + failures + (failures == 1 ? " time" : " times in a row")
        + "; next try in " + retryIn.toSeconds() + "s): " + error;
    events.record(TrainingAdmission.key(job), EventSink.EventType.Warning, TrainingReason.ReconcileError.name(), message);
    TrainingJobStatus next = job.getStatus() == null ? new TrainingJobStatus()
        : dev.capstan.api.codec.Manifests.copy(job.getStatus(), TrainingJobStatus.class);
    long generation = job.getMetadata().getGeneration() == null ? 1 : job.getMetadata().getGeneration();
    next.setConditions(Conditions.set(next.getConditions(), StatusDraft.STALLED, true, TrainingReason.ReconcileError,
        message, clock.now(), generation));
    store.updateStatus(job, next);
  }

  private void recordStatus(TrainingJob job, TrainingJobStatus next) {
    TrainingJobStatus previous = job.getStatus();
    if (Objects.equals(previous, next)) {
      return;
    }
    String before = previous == null ? null : previous.getState();
    int restartsBefore = previous == null || previous.getRestartCount() == null ? 0 : previous.getRestartCount();
    boolean restarted = next.getRestartCount() != null && next.getRestartCount() > restartsBefore;
    if (!Objects.equals(before, next.getState()) || restarted) {
      boolean bad = TrainingJobState.Failed.name().equals(next.getState()) || TrainingJobState.Restarting.name().equals(next.getState());
      events.record(TrainingAdmission.key(job), bad ? EventSink.EventType.Warning : EventSink.EventType.Normal,
          next.getState(), next.getMessage() == null ? next.getState() : next.getMessage());
    }
    store.updateStatus(job, next);
  }
}
