package dev.capstan.core.serving;

import java.util.Objects;

/** One revision of one InferenceService: {@code namespace/service/revision}. */
public record RevisionKey(String namespace, String service, String revision) {
  public RevisionKey {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(revision, "revision");
  }

  /** The service this revision belongs to. */
  public ServiceKey serviceKey() {
    return new ServiceKey(namespace, service);
  }

  @Override
  public String toString() {
    return namespace + "/" + service + "/" + revision;
  }
}
