package dev.capstan.artifacts;

import dev.capstan.artifacts.file.FileArtifactStore;
import dev.capstan.artifacts.s3.S3ArtifactStore;
import dev.capstan.artifacts.s3.S3Settings;
import dev.capstan.core.registry.ArtifactStore;
import java.nio.file.Path;
import java.util.Map;

/**
 * The artifact store a process's environment names: S3 when {@code CAPSTAN_ARTIFACTS_URI} is an
 * {@code s3://} URI or {@code CAPSTAN_ARTIFACTS_BUCKET} is set, otherwise the content-addressed
 * directory {@code $CAPSTAN_HOME/artifacts}. Limits come from {@link ArtifactLimits#fromEnvironment}.
 */
public final class ArtifactStores {
  private ArtifactStores() {}

  public static ArtifactStore fromEnvironment(Map<String, String> env, Path capstanHome) {
    ArtifactLimits limits = ArtifactLimits.fromEnvironment(env);
    String uri = env.get("CAPSTAN_ARTIFACTS_URI");
    if (uri != null && !uri.isBlank() && !uri.startsWith("s3://")) {
      throw new IllegalArgumentException("CAPSTAN_ARTIFACTS_URI: must be an s3://bucket/prefix URI, got \"" + uri
          + "\"; leave it unset for the store under $CAPSTAN_HOME/artifacts");
    }
    if (S3Settings.named(env)) {
      return S3ArtifactStore.open(S3Settings.fromEnvironment(env), limits);
    }
    return FileArtifactStore.open(capstanHome.resolve("artifacts"), limits);
  }
}
