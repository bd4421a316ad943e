package dev.capstan.artifacts;

import dev.capstan.core.registry.ArtifactException;
import dev.capstan.core.registry.ArtifactSource;
import java.util.List;
import java.util.Map;

/**
 * The bounds of one put: how many files and how many bytes in all. A put over either is refused
 * before anything is written ({@code TOO_LARGE}); a source that grows while it is read is stopped
 * at the bound too.
 */
public record ArtifactLimits(int maxFiles, long maxTotalBytes) {
  /** 10,000 files and 256 GiB: a sharded checkpoint of a large model fits, a runaway directory does not. */
  public static final ArtifactLimits DEFAULT = new ArtifactLimits(10_000, 256L << 30);

  public ArtifactLimits {
    if (maxFiles < 1 || maxTotalBytes < 1) {
      throw new IllegalArgumentException("artifact limits must be positive, got " + maxFiles + " files and " + maxTotalBytes + " bytes");
    }
  }

  /** {@code CAPSTAN_ARTIFACTS_MAX_FILES} and {@code CAPSTAN_ARTIFACTS_MAX_BYTES} override the defaults. */
  public static ArtifactLimits fromEnvironment(Map<String, String> env) {
    return new ArtifactLimits(
        (int) positive(env, "CAPSTAN_ARTIFACTS_MAX_FILES", DEFAULT.maxFiles(), Integer.MAX_VALUE),
        positive(env, "CAPSTAN_ARTIFACTS_MAX_BYTES", DEFAULT.maxTotalBytes(), Long.MAX_VALUE));
  }

  private static long positive(Map<String, String> env, String name, long fallback, long max) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      long parsed = Long.parseLong(value.trim());
      if (parsed >= 1 && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(name + ": must be a whole number from 1 to " + max + ", got \"" + value + "\"");
  }

  /** Refuses a source whose entries already break a bound. */
  public void check(String key, List<ArtifactSource.Entry> entries) {
    if (entries.size() > maxFiles) {
      throw new ArtifactException(ArtifactException.Reason.TOO_LARGE,
          key + ": " + entries.size() + " files is more than the limit of " + maxFiles + " (CAPSTAN_ARTIFACTS_MAX_FILES)");
    }
    long total = 0;
    for (ArtifactSource.Entry entry : entries) {
      total += entry.size();
      if (total > maxTotalBytes || total < 0) {
        throw new ArtifactException(ArtifactException.Reason.TOO_LARGE,
            key + ": more than the limit of " + maxTotalBytes + " bytes in all (CAPSTAN_ARTIFACTS_MAX_BYTES)");
      }
    }
  }
}
