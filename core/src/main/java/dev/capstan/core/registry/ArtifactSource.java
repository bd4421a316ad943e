package dev.capstan.core.registry;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

/** The files a put stores: their relative paths and sizes, and a way to read each (a directory, an upload). */
public interface ArtifactSource {
  /** Every file, each path once, in a stable order. */
  List<Entry> entries();

  /** Opens one of the entries' files for reading; the store may open a file more than once. */
  InputStream open(String path) throws IOException;

  /** A file of the source: its relative path and the size it is expected to have. */
  record Entry(String path, long size) {
    public Entry {
      ArtifactPath.check(path, "path");
      if (size < 0) {
        throw new IllegalArgumentException("size of " + path + " must not be negative, got " + size);
      }
    }
  }
}
