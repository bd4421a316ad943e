package dev.capstan.core.training;

import dev.capstan.api.training.ReplicaId;
import java.util.OptionalInt;

/**
 * One replica as observed: its phase, exit code once finished, and the attempt (job restart
 * number) it was started for. A replica lost by its backend is reported Failed with exit 137.
 */
public record ReplicaObservation(ReplicaId id, ReplicaPhase phase, OptionalInt exitCode, int attempt) {
  public static final int LOST_EXIT_CODE = 137;

  public static ReplicaObservation running(ReplicaId id, int attempt) {
    return new ReplicaObservation(id, ReplicaPhase.Running, OptionalInt.empty(), attempt);
  }

  public static ReplicaObservation pending(ReplicaId id, int attempt) {
    return new ReplicaObservation(id, ReplicaPhase.Pending, OptionalInt.empty(), attempt);
  }

  public static ReplicaObservation exited(ReplicaId id, int exitCode, int attempt) {
    return new ReplicaObservation(id, exitCode == 0 ? ReplicaPhase.Succeeded : ReplicaPhase.Failed, OptionalInt.of(exitCode), attempt);
  }
}
