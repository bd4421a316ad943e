package dev.capstan.core.training;

import dev.capstan.api.training.ReplicaId;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One replica as observed: its phase, exit code once finished, and the attempt (job restart
 * number) it was started for. A replica lost by its backend is reported Failed with exit 137.
 * {@code commandProblem} says why the replica's command could not be executed at all (not found,
 * not executable): no restart can fix that, so the job fails at once.
 */
public record ReplicaObservation(ReplicaId id, ReplicaPhase phase, OptionalInt exitCode, int attempt,
    Optional<String> commandProblem) {
  public static final int LOST_EXIT_CODE = 137;

  public ReplicaObservation(ReplicaId id, ReplicaPhase phase, OptionalInt exitCode, int attempt) {
    this(id, phase, exitCode, attempt, Optional.empty());
  }

  public static ReplicaObservation running(ReplicaId id, int attempt) {
    return new ReplicaObservation(id, ReplicaPhase.Running, OptionalInt.empty(), attempt);
  }

  public static ReplicaObservation pending(ReplicaId id, int attempt) {
    return new ReplicaObservation(id, ReplicaPhase.Pending, OptionalInt.empty(), attempt);
  }

  public static ReplicaObservation exited(ReplicaId id, int exitCode, int attempt) {
    return new ReplicaObservation(id, exitCode == 0 ? ReplicaPhase.Succeeded : ReplicaPhase.Failed, OptionalInt.of(exitCode), attempt);
  }

  /** A replica whose command could not be executed; {@code exitCode} is what a shell reports (127, 126). */
  public static ReplicaObservation cannotExecute(ReplicaId id, int exitCode, int attempt, String problem) {
    return new ReplicaObservation(id, ReplicaPhase.Failed, OptionalInt.of(exitCode), attempt, Optional.of(problem));
  }
}
