package dev.capstan.kubernetes.training;

import dev.capstan.api.training.ReplicaId;
import dev.capstan.core.training.ReplicaLabels;
import dev.capstan.core.training.ReplicaObservation;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Reads a replica's state from its pod the way the kubelet reports it: {@code status.phase}, and
 * for a failed pod the exit code in {@code containerStatuses[].state.terminated.exitCode} of the
 * container that received the environment contract.
 */
final class PodObservations {
  private PodObservations() {}

  static Optional<ReplicaId> replicaOf(Pod pod) {
    var labels = pod.getMetadata().getLabels();
    if (labels == null || !labels.containsKey(ReplicaLabels.REPLICA_TYPE) || !labels.containsKey(ReplicaLabels.REPLICA_INDEX)) {
      return Optional.empty();
    }
    try {
      return Optional.of(new ReplicaId(labels.get(ReplicaLabels.REPLICA_TYPE), Integer.parseInt(labels.get(ReplicaLabels.REPLICA_INDEX))));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  static int attempt(Pod pod) {
    return parse(pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(ReplicaLabels.CAPSTAN_ATTEMPT));
  }

  static int parse(String value) {
    try {
      return value == null ? 0 : Integer.parseInt(value);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /**
   * The replica as its pod shows it. {@code desiredAttempt} comes from the replica's service: a
   * terminating pod of an older attempt is one being replaced, so the replica is reported Pending
   * for the new one. A live pod of an older attempt is reported as it is: a pass whose status write
   * was lost may have recorded the newer attempt on the service and then created the pod at the
   * older one, and hiding that pod would leave the replica Pending for ever.
   */
  static ReplicaObservation observe(ReplicaId id, Pod pod, int desiredAttempt, String mainContainer) {
    int attempt = attempt(pod);
    if (attempt < desiredAttempt && pod.getMetadata().getDeletionTimestamp() != null) {
      return ReplicaObservation.pending(id, desiredAttempt);
    }
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    if (phase == null) {
      return ReplicaObservation.pending(id, attempt);
    }
    return switch (phase) {
      case "Running" -> ReplicaObservation.running(id, attempt);
      case "Succeeded" -> ReplicaObservation.exited(id, 0, attempt);
      case "Failed" -> ReplicaObservation.exited(id, exitCode(pod, mainContainer).orElse(ReplicaObservation.LOST_EXIT_CODE), attempt);
      default -> ReplicaObservation.pending(id, attempt);
    };
  }

  /** The main container's exit code, else the first non-zero one, else the first one. */
  static OptionalInt exitCode(Pod pod, String mainContainer) {
    List<ContainerStatus> statuses = pod.getStatus().getContainerStatuses() == null ? List.of() : pod.getStatus().getContainerStatuses();
    List<ContainerStatus> terminated = statuses.stream()
        .filter(s -> s.getState() != null && s.getState().getTerminated() != null && s.getState().getTerminated().getExitCode() != null)
        .toList();
    return terminated.stream().filter(s -> mainContainer.equals(s.getName())).findFirst()
        .or(() -> terminated.stream().filter(s -> s.getState().getTerminated().getExitCode() != 0).findFirst())
        .or(() -> terminated.stream().findFirst())
        .map(s -> OptionalInt.of(s.getState().getTerminated().getExitCode()))
        .orElse(OptionalInt.empty());
  }
}
