package dev.capstan.local.serving;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Port: places a model source (a path, {@code file://}, {@code http(s)://}, …) into a directory
 * that does not exist yet, whole or not at all. The CLI answers it with the model server's
 * guarded fetcher, the same one {@code capstan fetch} runs.
 */
@FunctionalInterface
public interface ModelFetch {
  void fetch(String storageUri, Path target) throws IOException;
}
