package dev.capstan.core.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ArtifactPathTest {
  @ParameterizedTest
  @ValueSource(strings = {"model.onnx", "models/iris/3", "weights/layer.0.bin", "a%20b", "..hidden", "x..y"})
  void relativePathsAreAccepted(String path) {
    assertNull(ArtifactPath.problem(path), path);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "/etc/passwd", "../x", "a/../../x", "a/..", ".", "./a", "a//b", "a/",
      "%2e%2e/x", "a/%2E%2E", "%252e%252e/x", "a%2fb", "a%5c..", "a\\..\\b", "a\u0000b", "a\nb"})
  void traversalAndOddCharactersAreRefused(String path) {
    var error = assertThrows(ArtifactException.class, () -> ArtifactPath.check(path, "spec.files[0]"));
    assertEquals(ArtifactException.Reason.INVALID_PATH, error.reason());
    assertTrue(error.getMessage().startsWith("spec.files[0]: "), error.getMessage());
  }

  @Test
  void aNulIsShownEscapedInTheMessage() {
    var error = assertThrows(ArtifactException.class, () -> ArtifactPath.check("a\u0000b", "key"));
    assertTrue(error.getMessage().contains("a\\u0000b"), error.getMessage());
  }

  @Test
  void tooLongPathsAreRefused() {
    assertTrue(ArtifactPath.problem("a".repeat(256)).contains("segment longer"));
    assertTrue(ArtifactPath.problem(("a".repeat(200) + "/").repeat(6)).contains("longer than 1024"));
  }

  @Test
  void aManifestSortsItsFilesAndRefusesDuplicates() {
    String sha = "0".repeat(64);
    var manifest = new ArtifactManifest("file:/x", List.of(new ArtifactFile("b", 1, sha), new ArtifactFile("a", 2, sha)));
    assertEquals(List.of("a", "b"), manifest.files().stream().map(ArtifactFile::path).toList());
    assertEquals(3, manifest.totalSize());
    assertThrows(IllegalArgumentException.class,
        () -> new ArtifactManifest("file:/x", List.of(new ArtifactFile("a", 1, sha), new ArtifactFile("a", 1, sha))));
    assertThrows(IllegalArgumentException.class, () -> new ArtifactFile("a", 1, "ABC"));
  }
}
