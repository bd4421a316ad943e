package dev.capstan.core.training;

import dev.capstan.api.codec.Manifests;
import dev.capstan.api.training.ReplicaGroup;
import dev.capstan.api.training.ReplicaStatus;
import dev.capstan.api.training.TrainingJobModel;
import dev.capstan.api.training.TrainingJobStatus;
import dev.capstan.core.status.Conditions;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** The next status being built during one planning pass, starting from the recorded one. */
final class StatusDraft {
  static final String CREATED = "Created";
  static final String QUEUED = "Queued";
  static final String ADMITTED = "Admitted";
  static final String RUNNING = "Running";
  static final String RESTARTING = "Restarting";
  static final String SUSPENDED = "Suspended";
  static final String SUCCEEDED = "Succeeded";
  static final String FAILED = "Failed";
  /** True while the job's reconcile keeps failing (reason ReconcileError); cleared by the next pass that works. */
  static final String STALLED = "Stalled";
  /** True from a preemption until the job is admitted again; its reason is the PreemptionReason. */
  static final String PREEMPTED = "Preempted";

  private final TrainingJobStatus status;
  private final Instant now;
  private final long generation;

  StatusDraft(TrainingJobStatus previous, TrainingJobModel job, Instant now) {
    this.status = previous == null ? new TrainingJobStatus() : Manifests.copy(previous, TrainingJobStatus.class);
    this.now = now;
    this.generation = job.generation();
    status.setObservedGeneration(generation);
    if (status.getRestartCount() == null) {
      status.setRestartCount(0);
    }
    if (Conditions.find(status.getConditions(), CREATED).isEmpty()) {
      condition(CREATED, true, TrainingReason.JobCreated, "TrainingJob " + job.namespace() + "/" + job.name() + " is created");
    }
    if (status.getState() == null) {
      status.setState(TrainingJobState.Created.name());
    }
  }

  /**
   * Whether the recorded status is of a finished run and the spec has a newer generation since: such
   * a job runs again from attempt 0, like a fresh job under the same name (see docs/training.md).
   */
  static boolean rerunRequested(TrainingJobStatus recorded, long generation) {
    return recorded != null && TrainingJobState.parse(recorded.getState()).isTerminal()
        && recorded.getObservedGeneration() != null && recorded.getObservedGeneration() < generation;
  }

  TrainingJobState state() {
    return TrainingJobState.parse(status.getState());
  }

  void state(TrainingJobState state, String message) {
    status.setState(state.name());
    status.setMessage(message);
  }

  void condition(String type, boolean value, Enum<?> reason, String message) {
    status.setConditions(Conditions.set(status.getConditions(), type, value, reason, message, now, generation));
  }

  /** Clears a condition; clearing {@code Admitted} also drops the admission's placement, so a re-admission places afresh. */
  void clear(String type, TrainingReason reason, String message) {
    status.setConditions(Conditions.clear(status.getConditions(), type, reason, message, now, generation));
    if (ADMITTED.equals(type)) {
      status.setPlacement(null);
    }
  }

  /** The node chosen for each replica (by short name) with the admission; none when empty. */
  void placement(Map<String, String> nodes) {
    status.setPlacement(nodes.isEmpty() ? null : new java.util.TreeMap<>(nodes));
  }

  /** The queue the job is admitted to or waits in, and its place there while it waits. */
  void queue(String queue, Integer position) {
    status.setQueue(queue == null || queue.isEmpty() ? null : queue);
    status.setQueuePosition(position);
  }

  int restartCount() {
    return status.getRestartCount();
  }

  void countRestart(Iterable<String> roles) {
    status.setRestartCount(status.getRestartCount() + 1);
    for (String role : roles) {
      ReplicaStatus counts = status.getReplicaStatuses().computeIfAbsent(role, r -> new ReplicaStatus());
      counts.setRestarts(counts.getRestarts() + 1);
    }
  }

  boolean hasStartTime() {
    return status.getStartTime() != null;
  }

  Instant startTime() {
    return Instant.parse(status.getStartTime());
  }

  void startTime(Instant at) {
    status.setStartTime(at == null ? null : at.toString());
  }

  Instant completionTime() {
    return status.getCompletionTime() == null ? now : Instant.parse(status.getCompletionTime());
  }

  void complete() {
    if (status.getCompletionTime() == null) {
      status.setCompletionTime(now.toString());
    }
  }

  /** Per-role counts from the observation; restarts carry over from the recorded status. */
  void replicaCounts(TrainingJobModel job, Observed observed) {
    Map<String, ReplicaStatus> counts = new LinkedHashMap<>();
    for (ReplicaGroup group : job.groups()) {
      ReplicaStatus previous = status.getReplicaStatuses().get(group.role());
      ReplicaStatus s = new ReplicaStatus(0, 0, 0, previous == null ? 0 : previous.getRestarts());
      for (ReplicaObservation o : observed.replicas().values()) {
        if (!o.id().role().equals(group.role())) {
          continue;
        }
        switch (o.phase()) {
          case Pending, Running -> s.setActive(s.getActive() + 1);
          case Succeeded -> s.setSucceeded(s.getSucceeded() + 1);
          case Failed -> s.setFailed(s.getFailed() + 1);
        }
      }
      counts.put(group.role(), s);
    }
    status.setReplicaStatuses(counts);
    int active = counts.values().stream().mapToInt(ReplicaStatus::getActive).sum();
    status.setReplicas(active + "/" + job.totalReplicas());
  }

  void metrics(Map<String, String> latest) {
    if (!latest.isEmpty()) {
      Map<String, String> merged = new LinkedHashMap<>(status.getMetrics());
      merged.putAll(latest);
      status.setMetrics(merged);
    }
  }

  TrainingJobStatus build() {
    return status;
  }
}
