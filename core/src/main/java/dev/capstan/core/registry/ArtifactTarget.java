package dev.capstan.core.registry;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Where a get writes: the store creates each file, then commits when every file matched its
 * sha256 or aborts when one did not. Nothing a target writes is visible before {@link #commit()}
 * (a directory target writes beside its destination and renames at the end).
 */
public interface ArtifactTarget {
  /** A stream for one file of the artifact; the store closes it. */
  OutputStream create(String path) throws IOException;

  /** Makes every file written visible at once. */
  void commit() throws IOException;

  /** Removes whatever was written; never throws. */
  void abort();
}
