package dev.capstan.artifacts;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

/** A model-like directory to store, and a comparison of two directories byte for byte. */
public final class TestingArtifacts {
  private TestingArtifacts() {}

  /** model.onnx (100 KiB of seeded bytes), config.json, weights/shard-0.bin and weights/shard-1.bin (equal contents). */
  public static Path modelDirectory(Path dir, long seed) throws IOException {
    Files.createDirectories(dir.resolve("weights"));
    byte[] model = new byte[100 * 1024];
    new Random(seed).nextBytes(model);
    Files.write(dir.resolve("model.onnx"), model);
    Files.writeString(dir.resolve("config.json"), "{\"seed\": " + seed + "}\n", StandardCharsets.UTF_8);
    byte[] shard = new byte[4096];
    new Random(7).nextBytes(shard);
    Files.write(dir.resolve("weights/shard-0.bin"), shard);
    Files.write(dir.resolve("weights/shard-1.bin"), shard);
    return dir;
  }

  public static void assertSameFiles(Path expected, Path actual) throws IOException {
    TreeMap<String, byte[]> want = contents(expected);
    TreeMap<String, byte[]> got = contents(actual);
    assertEquals(want.keySet(), got.keySet(), "files of " + actual);
    for (String path : want.keySet()) {
      assertArrayEquals(want.get(path), got.get(path), path);
    }
  }

  private static TreeMap<String, byte[]> contents(Path root) throws IOException {
    var out = new TreeMap<String, byte[]>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.filter(Files::isRegularFile).toList()) {
        out.put(root.relativize(path).toString(), Files.readAllBytes(path));
      }
    }
    return out;
  }
}
