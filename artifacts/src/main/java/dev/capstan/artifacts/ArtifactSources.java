package dev.capstan.artifacts;

import dev.capstan.artifacts.s3.S3Source;
import java.nio.file.Path;
import java.util.Map;

/** What {@code --from DIR|URI} names: a local directory, or every object under an {@code s3://} prefix. */
public final class ArtifactSources {
  private ArtifactSources() {}

  /** An {@code s3://bucket/prefix} URI (reached with the environment's AWS variables) or a directory path. */
  public static OpenedSource of(String from, Map<String, String> env) {
    if (from.startsWith("s3://")) {
      return S3Source.open(from, env, ArtifactLimits.fromEnvironment(env));
    }
    return DirectorySource.of(Path.of(from));
  }
}
