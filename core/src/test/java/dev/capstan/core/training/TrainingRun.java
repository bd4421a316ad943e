package dev.capstan.core.training;

import dev.capstan.api.training.TrainingJob;
import dev.capstan.api.training.TrainingJobModel;
import dev.capstan.api.training.TrainingJobStatus;
import dev.capstan.api.training.TrainingJobs;
import dev.capstan.core.queue.AdmissionDecision;
import dev.capstan.core.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Drives the pure planner over a {@link TestingReplicaBackend}: each pass plans from the recorded
 * status and what the backend shows, applies the actions to the backend, and records the status.
 * Time moves only when the test says so.
 */
final class TrainingRun {
  static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

  final TestingReplicaBackend replicas = new TestingReplicaBackend();
  private TrainingJobModel job;
  private final TrainingJob wire;
  private TrainingJobStatus status;
  private Instant now = T0;
  private TrainingPlan last;

  TrainingRun(TrainingJobs job) {
    this.wire = job.build();
    this.job = TrainingJobModel.from(wire);
  }

  /** The user changed the spec (suspend, resume…); the recorded status stays. */
  TrainingRun edit(TrainingJobs job) {
    this.job = job.model();
    return this;
  }

  TrainingRun after(Duration d) {
    now = now.plus(d);
    return this;
  }

  Instant now() {
    return now;
  }

  TrainingPlan pass() {
    return pass(AdmissionDecision.admitted());
  }

  TrainingPlan pass(AdmissionDecision admission) {
    return pass(admission, false);
  }

  TrainingPlan deleting() {
    return pass(AdmissionDecision.admitted(), true);
  }

  private TrainingPlan pass(AdmissionDecision admission, boolean deleting) {
    replicas.takeApplied();
    last = TrainingPlanner.plan(new PlanInput(job, status, replicas.observe(wire), admission,
        replicas.addressing(job), now, deleting));
    replicas.apply(wire, last.actions());
    status = last.status();
    return last;
  }

  TrainingJobModel job() {
    return job;
  }

  TrainingJobStatus status() {
    return status;
  }

  TrainingJobState state() {
    return TrainingJobState.valueOf(status.getState());
  }

  Condition condition(String type) {
    return Conditions.find(status.getConditions(), type).orElseThrow(() -> new AssertionError("no condition " + type
        + " in " + status.getConditions()));
  }

  /** Replicas the last pass started, as {@code role-index@attempt}. */
  static List<String> started(TrainingPlan plan) {
    return plan.actions().stream().filter(a -> a instanceof ReplicaAction.Start)
        .map(a -> ((ReplicaAction.Start) a).launch())
        .map(l -> l.id().shortName() + "@" + l.attempt()).toList();
  }

  /** Replicas the last pass stopped, as {@code role-index}. */
  static List<String> stopped(TrainingPlan plan) {
    return plan.actions().stream().filter(a -> a instanceof ReplicaAction.Stop)
        .map(a -> ((ReplicaAction.Stop) a).id().shortName()).sorted().toList();
  }
}
