package dev.capstan.core.training;

import dev.capstan.api.training.CleanPodPolicy;
import dev.capstan.api.training.ReplicaGroup;
import dev.capstan.api.training.ReplicaId;
import dev.capstan.api.training.RestartScope;
import dev.capstan.api.training.SuccessPolicy;
import dev.capstan.api.training.TrainingJobModel;
import dev.capstan.core.queue.AdmissionDecision;
import dev.capstan.core.training.env.EnvContract;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The training controller's decisions, as a pure function from (job, recorded status, observed
 * replicas, admission, clock) to replica actions and the next status. No I/O happens here. The
 * admission is what a scheduling cycle decided ({@link AdmissionRecord} writes it, in one place):
 * replicas start only once it says Admitted.
 */
public final class TrainingPlanner {
  private final PlanInput in;
  private final TrainingJobModel job;
  private final StatusDraft status;
  private final List<ReplicaAction> actions = new ArrayList<>();
  private boolean removeJob;
  private Optional<Duration> requeueAfter = Optional.empty();

  private final boolean rerun;

  private TrainingPlanner(PlanInput in) {
    this.in = in;
    this.job = in.job();
    this.rerun = !in.deleting() && StatusDraft.rerunRequested(in.previous(), job.generation());
    this.status = new StatusDraft(rerun ? null : in.previous(), job, in.now());
  }

  public static TrainingPlan plan(PlanInput in) {
    return new TrainingPlanner(in).decide();
  }

  private TrainingPlan decide() {
    status.replicaCounts(job, in.observed());
    status.metrics(in.observed().metrics());
    status.clear(StatusDraft.STALLED, TrainingReason.Reconciled, "the last pass over the job worked");
    TrainingJobState previous = status.state();
    if (in.deleting()) {
      stopAll("the job is being deleted");
      removeJob = in.observed().replicas().values().stream().noneMatch(o -> o.phase().isActive());
    } else if (rerun) {
      runAgain();
    } else if (previous.isTerminal()) {
      finished();
    } else if (job.runPolicy().suspend()) {
      suspend();
    } else {
      if (previous == TrainingJobState.Suspended) {
        status.clear(StatusDraft.SUSPENDED, TrainingReason.JobResumed, "the job was resumed");
      }
      if (!in.admissionRecorded()) {
        AdmissionRecord.write(status, in.admission());
      }
      switch (in.admission()) {
        case AdmissionDecision.Rejected r -> finish(TrainingJobState.Failed, TrainingReason.ExceedsCapacity, r.reason());
        case AdmissionDecision.Waiting w -> queue(w);
        case AdmissionDecision.Admitted a -> run(a);
        case AdmissionDecision.Preempted p -> preempt(p);
      }
    }
    return new TrainingPlan(actions, status.build(), removeJob, requeueAfter);
  }

  /**
   * A new generation of a finished job's spec: what is left of the finished run is stopped and
   * forgotten, and the status starts over, so the next pass admits and starts it from attempt 0.
   */
  private void runAgain() {
    String message = "generation " + job.generation() + " of the spec runs the finished job again from attempt 0";
    stopAll("the finished job runs again");
    status.state(TrainingJobState.Created, message);
    status.condition(StatusDraft.CREATED, true, TrainingReason.SpecChanged, message);
    requeueAfter = Optional.of(Duration.ZERO);
  }

  private void queue(AdmissionDecision.Waiting w) {
    stopAll("the job is not admitted");
    status.state(TrainingJobState.Queued, w.reason());
  }

  /**
   * A preempted job stops every replica (each gets its grace period to write a checkpoint) and
   * holds its quota until they are gone; then it queues again. No restart is counted: readmitted,
   * its replicas start at the same attempt and resume from their checkpoint.
   */
  private void preempt(AdmissionDecision.Preempted p) {
    String message = p.eviction().message();
    boolean stopping = in.observed().replicas().values().stream().anyMatch(o -> o.phase().isActive());
    Optional<Duration> grace = Optional.of(job.runPolicy().preemptionGracePeriod());
    in.observed().replicas().values().forEach(o -> actions.add(new ReplicaAction.Stop(o.id(), message, grace)));
    status.clear(StatusDraft.RUNNING, TrainingReason.Preempted, message);
    if (stopping) {
      status.state(TrainingJobState.Preempted, message + "; replicas are writing a checkpoint and stopping");
      return;
    }
    status.state(TrainingJobState.Queued, message + "; queued to be admitted again");
    status.clear(StatusDraft.ADMITTED, TrainingReason.Preempted, "capacity released: the job was preempted");
    status.condition(StatusDraft.QUEUED, true, TrainingReason.Preempted, message);
    status.queue(p.queue(), null);
  }

  private void suspend() {
    stopAll("the job is suspended");
    status.startTime(null);
    status.state(TrainingJobState.Suspended, "the job is suspended");
    status.condition(StatusDraft.SUSPENDED, true, TrainingReason.JobSuspended, "the job is suspended");
    status.clear(StatusDraft.RUNNING, TrainingReason.JobSuspended, "the job is suspended");
    status.clear(StatusDraft.ADMITTED, TrainingReason.JobSuspended, "capacity released while suspended");
  }

  private void run(AdmissionDecision.Admitted a) {
    if (!status.hasStartTime()) {
      status.startTime(in.now());
    }
    if (deadlinePassed()) {
      return;
    }
    if (successMet()) {
      finish(TrainingJobState.Succeeded, TrainingReason.JobSucceeded, successMessage());
      return;
    }
    List<ReplicaObservation> failed = needingRestart();
    Optional<ReplicaObservation> unrunnable = failed.stream().filter(o -> o.commandProblem().isPresent()).findFirst();
    if (unrunnable.isPresent()) {
      ReplicaObservation o = unrunnable.get();
      finish(TrainingJobState.Failed, TrainingReason.CommandNotFound, "replica " + o.id().shortName()
          + " cannot run its command: " + o.commandProblem().get() + " (exit code " + o.exitCode().orElse(127)
          + "; no restart can fix it)");
      return;
    }
    Optional<ReplicaObservation> permanent = failed.stream().filter(o -> !retries(o)).findFirst();
    if (permanent.isPresent()) {
      finish(TrainingJobState.Failed, TrainingReason.ReplicaFailedPermanently,
          describe(permanent.get()) + " (restartPolicy " + job.groupOf(permanent.get().id()).restartPolicy() + ")");
      return;
    }
    boolean restarted = !failed.isEmpty() && restart(failed);
    if (restarted || status.state().isTerminal()) {
      return;
    }
    startMissing();
    progress();
  }

  private boolean deadlinePassed() {
    Optional<Duration> deadline = job.runPolicy().activeDeadline();
    if (deadline.isEmpty()) {
      return false;
    }
    Instant end = status.startTime().plus(deadline.get());
    if (in.now().isBefore(end)) {
      requeueAfter = Optional.of(Duration.between(in.now(), end));
      return false;
    }
    finish(TrainingJobState.Failed, TrainingReason.DeadlineExceeded,
        "the job ran longer than activeDeadlineSeconds=" + deadline.get().toSeconds());
    return true;
  }

  private boolean successMet() {
    ReplicaId rankZero = job.rankZero();
    if (!succeeded(rankZero)) {
      return false;
    }
    if (job.successPolicy() == SuccessPolicy.Default) {
      return true;
    }
    List<ReplicaId> workers = job.group("worker").map(ReplicaGroup::replicas).orElse(job.replicas());
    return workers.stream().allMatch(this::succeeded);
  }

  private String successMessage() {
    return job.successPolicy() == SuccessPolicy.Default
        ? "replica " + job.rankZero().shortName() + " succeeded"
        : "every worker succeeded";
  }

  private boolean succeeded(ReplicaId id) {
    return in.observed().get(id).map(o -> o.phase() == ReplicaPhase.Succeeded).orElse(false);
  }

  /** Failed replicas, and those that exited 0 under restartPolicy Always (they run forever). */
  private List<ReplicaObservation> needingRestart() {
    List<ReplicaObservation> result = new ArrayList<>();
    for (ReplicaId id : job.replicas()) {
      in.observed().get(id).ifPresent(o -> {
        boolean always = job.groupOf(id).restartPolicy() == dev.capstan.api.training.RestartPolicy.Always;
        if (o.phase() == ReplicaPhase.Failed || (o.phase() == ReplicaPhase.Succeeded && always)) {
          result.add(o);
        }
      });
    }
    return result;
  }

  private boolean retries(ReplicaObservation o) {
    return job.groupOf(o.id()).restartPolicy().retries(o.exitCode().orElse(ReplicaObservation.LOST_EXIT_CODE));
  }

  /** Restarts what failed (the whole gang or the replica); false if the backoff limit stops it. */
  private boolean restart(List<ReplicaObservation> failed) {
    String what = describe(failed.get(0));
    if (status.restartCount() >= job.runPolicy().backoffLimit()) {
      finish(TrainingJobState.Failed, TrainingReason.BackoffLimitExceeded,
          what + "; backoffLimit=" + job.runPolicy().backoffLimit() + " restarts already used");
      return false;
    }
    Set<String> roles = new LinkedHashSet<>();
    failed.forEach(o -> roles.add(o.id().role()));
    status.countRestart(roles);
    int attempt = status.restartCount();
    boolean gang = job.runPolicy().restartScope() == RestartScope.GANG;
    List<ReplicaId> targets = gang ? job.replicas() : failed.stream().map(ReplicaObservation::id).toList();
    targets.forEach(id -> actions.add(new ReplicaAction.Start(launch(id, attempt))));
    String message = what + "; restart " + attempt + " of at most " + job.runPolicy().backoffLimit()
        + (gang ? " (whole gang)" : " (that replica only)");
    status.state(TrainingJobState.Restarting, message);
    status.condition(StatusDraft.RESTARTING, true, gang ? TrainingReason.GangRestart : TrainingReason.ReplicaFailed, message);
    status.clear(StatusDraft.RUNNING, TrainingReason.ReplicaFailed, message);
    return true;
  }

  private void startMissing() {
    for (ReplicaId id : job.replicas()) {
      if (in.observed().get(id).isEmpty()) {
        actions.add(new ReplicaAction.Start(launch(id, status.restartCount())));
      }
    }
  }

  private void progress() {
    boolean allUp = actions.isEmpty() && job.replicas().stream().allMatch(id -> in.observed().get(id)
        .map(o -> o.phase() == ReplicaPhase.Running || o.phase() == ReplicaPhase.Succeeded).orElse(false));
    if (allUp) {
      String message = "all " + job.totalReplicas() + " replicas are running";
      status.state(TrainingJobState.Running, message);
      status.condition(StatusDraft.RUNNING, true, TrainingReason.AllReplicasRunning, message);
      status.clear(StatusDraft.RESTARTING, TrainingReason.AllReplicasRunning, message);
    } else if (status.state() != TrainingJobState.Restarting) {
      status.state(TrainingJobState.Starting, "starting " + job.totalReplicas() + " replicas");
    }
  }

  private void finish(TrainingJobState state, TrainingReason reason, String message) {
    status.state(state, message);
    status.complete();
    status.condition(state == TrainingJobState.Succeeded ? StatusDraft.SUCCEEDED : StatusDraft.FAILED, true, reason, message);
    status.clear(StatusDraft.RUNNING, reason, message);
    status.clear(StatusDraft.RESTARTING, reason, message);
    status.clear(StatusDraft.QUEUED, reason, message);
    status.clear(StatusDraft.ADMITTED, reason, "capacity released: the job finished");
    CleanPodPolicy policy = job.runPolicy().cleanPodPolicy();
    boolean forced = reason == TrainingReason.DeadlineExceeded || reason == TrainingReason.BackoffLimitExceeded;
    cleanUp(forced && policy == CleanPodPolicy.None ? CleanPodPolicy.Running : policy);
    finishedTtl();
  }

  /** A finished job keeps applying its clean-up policy, and is removed once its TTL passes. */
  private void finished() {
    cleanUp(job.runPolicy().cleanPodPolicy());
    finishedTtl();
  }

  private void finishedTtl() {
    Optional<Duration> ttl = job.runPolicy().ttlAfterFinished();
    if (ttl.isEmpty()) {
      return;
    }
    Instant expiry = status.completionTime().plus(ttl.get());
    if (!in.now().isBefore(expiry)) {
      stopAll("the job's ttlSecondsAfterFinished passed");
      removeJob = true;
    } else {
      requeueAfter = Optional.of(Duration.between(in.now(), expiry));
    }
  }

  /**
   * Stops replicas per cleanPodPolicy. A deadline or exhausted backoff limit stops what still runs
   * even under None: those replicas are past the time or retries the user allowed.
   */
  private void cleanUp(CleanPodPolicy policy) {
    for (ReplicaObservation o : in.observed().replicas().values()) {
      boolean stop = switch (policy) {
        case All -> true;
        case Running -> o.phase().isActive();
        case None -> false;
      };
      if (stop) {
        actions.add(new ReplicaAction.Stop(o.id(), "the job finished (cleanPodPolicy " + policy + ")"));
      }
    }
  }

  private void stopAll(String why) {
    in.observed().replicas().values().forEach(o -> actions.add(new ReplicaAction.Stop(o.id(), why)));
  }

  private ReplicaLaunch launch(ReplicaId id, int attempt) {
    return new ReplicaLaunch(id, id.name(job.name()), attempt,
        EnvContract.forReplica(job, id, in.addressing(), attempt),
        ReplicaLabels.of(job, id, attempt), job.groupOf(id));
  }

  private static String describe(ReplicaObservation o) {
    int code = o.exitCode().orElse(ReplicaObservation.LOST_EXIT_CODE);
    return "replica " + o.id().shortName() + " exited with code " + code;
  }
}
