package dev.capstan.core.serving;

import java.util.Objects;

/** One InferenceService: {@code namespace/name}. */
public record ServiceKey(String namespace, String name) {
  public ServiceKey {
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
  }

  @Override
  public String toString() {
    return namespace + "/" + name;
  }
}
