package dev.capstan.core.training;

import dev.capstan.api.training.TrainingJobStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What one reconcile pass decided: the replica changes to make, the status to record, whether
 * the job itself should now be removed (TTL or deletion), and when to look again at the latest.
 */
public record TrainingPlan(
    List<ReplicaAction> actions, TrainingJobStatus status, boolean removeJob, Optional<Duration> requeueAfter) {
  public TrainingPlan {
    actions = List.copyOf(actions);
  }
}
