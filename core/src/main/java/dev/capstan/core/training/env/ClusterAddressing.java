package dev.capstan.core.training.env;

import dev.capstan.api.training.ReplicaId;
import dev.capstan.api.training.TrainingJobModel;
import java.util.Optional;

/**
 * Addresses in a cluster: one headless service per replica, and the port its group's main
 * container declares under the framework's port name (else the framework's default), as the
 * training operator's {@code getPortFrom*Job} functions read it.
 */
public record ClusterAddressing(TrainingJobModel job) implements ReplicaAddressing {
  @Override
  public String host(ReplicaId id) {
    return id.name(job.name());
  }

  @Override
  public String qualifiedHost(ReplicaId id) {
    return id.name(job.name()) + "." + job.namespace() + ".svc";
  }

  @Override
  public int port(ReplicaId id) {
    return job.groupOf(id).port(job.framework());
  }

  /** A pod learns its own IP only from the kubelet ({@code status.podIP}). */
  @Override
  public Optional<String> podIp() {
    return Optional.empty();
  }
}
