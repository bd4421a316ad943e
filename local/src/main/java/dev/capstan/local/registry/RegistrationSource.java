package dev.capstan.local.registry;

import dev.capstan.api.registry.RegistryLimits;
import dev.capstan.artifacts.DirectorySource;
import dev.capstan.core.registry.ArtifactException;
import dev.capstan.core.registry.ArtifactSource;
import dev.capstan.core.registry.RegistryException;
import java.nio.file.Path;

/**
 * What a version is registered from: the regular files of an absolute directory (links and
 * special files refused, as the artifact store's directory source does), at most
 * {@link RegistryLimits#FILES} of them. Every refusal is the registry's INVALID with the reason.
 */
final class RegistrationSource {
  private RegistrationSource() {}

  static ArtifactSource of(Path dir) {
    if (!dir.isAbsolute()) {
      throw invalid("source must be an absolute directory path (is '" + dir + "')");
    }
    ArtifactSource source;
    try {
      source = DirectorySource.of(dir);
    } catch (ArtifactException e) {
      throw invalid("source " + dir.normalize() + ": " + e.getMessage());
    }
    if (source.entries().size() > RegistryLimits.FILES) {
      throw invalid("source " + dir.normalize() + " holds more than " + RegistryLimits.FILES + " files");
    }
    return source;
  }

  private static RegistryException invalid(String message) {
    return new RegistryException(RegistryException.Reason.INVALID, message);
  }
}
