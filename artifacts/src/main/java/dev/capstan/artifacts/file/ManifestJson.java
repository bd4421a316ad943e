package dev.capstan.artifacts.file;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.capstan.core.registry.ArtifactFile;
import dev.capstan.core.registry.ArtifactManifest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** A manifest file: {@code {"key": …, "uri": …, "files": [{"path", "size", "sha256"}]}}. */
final class ManifestJson {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ManifestJson() {}

  record Stored(String key, String uri, List<ArtifactFile> files) {}

  static byte[] write(String key, ArtifactManifest manifest) throws IOException {
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(new Stored(key, manifest.uri(), manifest.files()));
  }

  static ArtifactManifest read(Path file) throws IOException {
    Stored stored = JSON.readValue(file.toFile(), Stored.class);
    return new ArtifactManifest(stored.uri(), stored.files());
  }
}
