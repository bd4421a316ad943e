package dev.capstan.core.training;

import dev.capstan.api.training.ReplicaId;

/** A change the plan asks a backend to make to one replica. Both are idempotent. */
public sealed interface ReplicaAction {
  /** Start this replica for this attempt; a replica of an older attempt is replaced. */
  record Start(ReplicaLaunch launch) implements ReplicaAction {}

  /** Stop the replica and its whole process tree (or pod) and forget it; logs are kept. */
  record Stop(ReplicaId id, String why) implements ReplicaAction {}
}
