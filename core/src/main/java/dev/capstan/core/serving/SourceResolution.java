package dev.capstan.core.serving;

import java.util.Objects;
import java.util.Optional;

/** What a service's {@code storageUri} resolved to in this pass, or why it could not be resolved. */
public record SourceResolution(Optional<ModelSources.Resolved> resolved, String problem) {
  public SourceResolution {
    Objects.requireNonNull(resolved, "resolved");
    if (resolved.isEmpty() == (problem == null)) {
      throw new IllegalArgumentException("a source is resolved, or has a problem, not both");
    }
  }

  public static SourceResolution of(ModelSources.Resolved resolved) {
    return new SourceResolution(Optional.of(resolved), null);
  }

  public static SourceResolution unresolved(String problem) {
    return new SourceResolution(Optional.empty(), problem);
  }
}
