package dev.capstan.core.training;

/** What a backend reports of one replica (a pod or a local process). */
public enum ReplicaPhase {
  Pending,
  Running,
  Succeeded,
  Failed;

  public boolean isActive() {
    return this == Pending || this == Running;
  }

  public boolean isFinished() {
    return this == Succeeded || this == Failed;
  }
}
