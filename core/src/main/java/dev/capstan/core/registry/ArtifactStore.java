package dev.capstan.core.registry;

/**
 * Port: where model artifacts live (a content-addressed directory locally, S3 in a cluster).
 *
 * <p>A put is atomic from the caller's point of view: the manifest it returns names files that are
 * every one stored and checked against its sha256; when a put throws, nothing it wrote is visible
 * under the key. A get checks every file's sha256 while copying and commits the target only when
 * all of them match, so a truncated or tampered artifact never replaces what a caller had. Keys and
 * file paths are relative, {@code /}-separated and checked by {@link ArtifactPath}. Every failure is
 * an {@link ArtifactException} with a reason.
 */
public interface ArtifactStore {
  /** Stores every file of the source under the key and returns what was stored. */
  ArtifactManifest put(String key, ArtifactSource source);

  /** Copies every file of the manifest into the target, checking sizes and sha256s; commits or aborts it. */
  void get(ArtifactManifest manifest, ArtifactTarget target);

  /** Removes what a put stored; removing what is already gone is not an error. */
  void delete(ArtifactManifest manifest);
}
