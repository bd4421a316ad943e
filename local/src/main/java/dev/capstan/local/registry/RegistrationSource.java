package dev.capstan.local.registry;

import dev.capstan.api.registry.RegistryLimits;
import dev.capstan.artifacts.ArtifactSources;
import dev.capstan.artifacts.DirectorySource;
import dev.capstan.core.registry.ArtifactException;
import dev.capstan.core.registry.ArtifactSource;
import dev.capstan.core.registry.RegistryException;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a version is registered from: the regular files of an absolute directory (links and
 * special files refused, as the artifact store's directory source does), or every object under an
 * {@code s3://bucket/prefix} (reached with the server's AWS variables), at most
 * {@link RegistryLimits#FILES} of them. Every refusal is the registry's INVALID with the reason.
 * An S3 source holds a client: close it ({@link #close}) once stored.
 */
final class RegistrationSource {
  private RegistrationSource() {}

  static ArtifactSource of(String source, Map<String, String> env) {
    if (source.startsWith("s3://")) {
      ArtifactSource s3;
      try {
        s3 = ArtifactSources.of(source, env);
      } catch (ArtifactException | IllegalArgumentException e) {
        throw invalid("source " + source + ": " + e.getMessage());
      }
      if (s3.entries().size() > RegistryLimits.FILES) {
        close(s3);
        throw invalid("source " + source + " holds more than " + RegistryLimits.FILES + " files");
      }
      return s3;
    }
    return of(Path.of(source));
  }

  /** Releases what a source holds open (an S3 client); a directory holds nothing. */
  static void close(ArtifactSource source) {
    if (source instanceof AutoCloseable open) {
      try {
        open.close();
      } catch (Exception e) {
        // nothing was written through it; the client's threads end with it
      }
    }
  }

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
