package dev.capstan.core.training;

import dev.capstan.api.training.ReplicaId;
import java.time.Duration;
import java.util.Optional;

/** A change the plan asks a backend to make to one replica. Both are idempotent. */
public sealed interface ReplicaAction {
  /** Start this replica for this attempt; a replica of an older attempt is replaced. */
  record Start(ReplicaLaunch launch) implements ReplicaAction {}

  /**
   * Stop the replica and its whole process tree (or pod) and forget it; logs are kept. {@code grace}:
   * how long it has between SIGTERM and SIGKILL when the plan says (a preemption's
   * preemptionGracePeriodSeconds); empty: the backend's own (the pod template's).
   */
  record Stop(ReplicaId id, String why, Optional<Duration> grace) implements ReplicaAction {
    public Stop(ReplicaId id, String why) {
      this(id, why, Optional.empty());
    }
  }
}
