package dev.capstan.artifacts;

import dev.capstan.core.registry.ArtifactSource;

/** A source that holds something open (an S3 client) until it is closed; closing a directory's does nothing. */
public interface OpenedSource extends ArtifactSource, AutoCloseable {
  @Override
  void close();
}
