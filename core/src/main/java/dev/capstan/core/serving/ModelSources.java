package dev.capstan.core.serving;

import dev.capstan.api.serving.StorageUri;
import java.util.Optional;

/**
 * Port: turns a service's {@code storageUri} into the source its replicas load. A registry
 * reference ({@code models:/NAME@ALIAS}) becomes the version's artifact URI; the other sources
 * stay as written (a control plane may make a local path absolute). When the alias moves, the
 * resolved source changes and the service gets a new revision.
 */
@FunctionalInterface
public interface ModelSources {
  /** The resolved source and, for a registry reference, the version it resolved to. */
  record Resolved(String storageUri, Optional<String> modelVersion) {}

  /** Resolves the source; throws {@link UnresolvedSourceException} (with why) when it cannot. */
  Resolved resolve(ServiceKey service, StorageUri uri);

  /** Takes every source as written and refuses registry references (no registry to ask). */
  static ModelSources asWritten() {
    return (service, uri) -> {
      if (uri.isRegistryRef()) {
        throw new UnresolvedSourceException("no model registry is available to resolve " + uri.text());
      }
      return new Resolved(uri.text(), Optional.empty());
    };
  }

  /** A source that cannot be resolved now; the service keeps what it runs and says why. */
  final class UnresolvedSourceException extends RuntimeException {
    public UnresolvedSourceException(String message) {
      super(message);
    }
  }
}
