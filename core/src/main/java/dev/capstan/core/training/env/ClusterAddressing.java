package dev.capstan.core.training.env;

import dev.capstan.api.training.ReplicaId;
import dev.capstan.api.training.TrainingJobModel;

/** Addresses in a cluster: one headless service per replica, the framework's default port. */
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
    return job.framework().defaultPort();
  }
}
