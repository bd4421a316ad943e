package dev.capstan.core.registry;

import java.util.Comparator;
import java.util.HashSet;
import java.util.List;

/**
 * What a put stored: the artifact's URI ({@code file:…} for the local store, {@code s3://bucket/prefix/key}
 * on S3) and every file with its size and sha256, sorted by path. A registry keeps it with the version.
 */
public record ArtifactManifest(String uri, List<ArtifactFile> files) {
  public ArtifactManifest {
    if (uri == null || uri.isBlank()) {
      throw new IllegalArgumentException("uri must not be empty");
    }
    files = files.stream().sorted(Comparator.comparing(ArtifactFile::path)).toList();
    var seen = new HashSet<String>();
    for (ArtifactFile file : files) {
      if (!seen.add(file.path())) {
        throw new IllegalArgumentException("files: " + file.path() + " appears more than once");
      }
    }
  }

  /** The sum of every file's size. */
  public long totalSize() {
    return files.stream().mapToLong(ArtifactFile::size).sum();
  }
}
