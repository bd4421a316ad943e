package dev.capstan.core.registry;

import java.util.regex.Pattern;

/** One stored file of an artifact: its relative path, its size in bytes and the sha256 of its bytes (lowercase hex). */
public record ArtifactFile(String path, long size, String sha256) {
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  public ArtifactFile {
    ArtifactPath.check(path, "path");
    if (size < 0) {
      throw new IllegalArgumentException("size of " + path + " must not be negative, got " + size);
    }
    if (sha256 == null || !SHA256.matcher(sha256).matches()) {
      throw new IllegalArgumentException("sha256 of " + path + " must be 64 lowercase hex digits, got " + sha256);
    }
  }
}
