package dev.capstan.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainConfigTest {
  @TempDir
  Path dir;

  @Test
  void yamlSettingsApplyAndFlagsWin() throws Exception {
    Files.writeString(dir.resolve("train.yaml"), """
        model: cnn
        channels: [8, 16]
        optimizer: adam
        batch-size: 32
        checkpoint-dir: ckpt
        timeout: 7.5
        """);
    TrainConfig config = TrainConfig.from(Map.of("config", "train.yaml", "batch-size", "48"), dir);
    assertEquals("cnn", config.model());
    assertArrayEquals(new int[] {8, 16}, config.channels());
    assertArrayEquals(new int[] {64}, config.hidden());
    assertEquals("adam", config.optimizer());
    assertEquals(0.001, config.learningRate());
    assertEquals(48, config.batchSize());
    assertEquals(dir.resolve("ckpt"), config.checkpointDir());
    assertEquals(Duration.ofMillis(7500), config.timeout());
  }

  @Test
  void capstanOutputDirIsTheOutputWhenNoneIsGiven() throws Exception {
    Map<String, String> env = Map.of(TrainConfig.OUTPUT_DIR_ENV, "/tmp/capstan-out/job");
    assertEquals(Path.of("/tmp/capstan-out/job"), TrainConfig.from(Map.of(), dir, env).output());
    assertEquals(dir.resolve("mine"), TrainConfig.from(Map.of("output", "mine"), dir, env).output(), "--output wins");
    Files.writeString(dir.resolve("out.yaml"), "output: from-file\n");
    assertEquals(dir.resolve("from-file"), TrainConfig.from(Map.of("config", "out.yaml"), dir, env).output(), "so does the config file");
    assertEquals(null, TrainConfig.from(Map.of(), dir, Map.of()).output());
  }

  @Test
  void mistakesAreNamed() {
    IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
        () -> TrainConfig.from(Map.of("batchsize", "3"), dir));
    assertTrue(unknown.getMessage().startsWith("unknown setting(s) [batchsize]"), unknown.getMessage());
    IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
        () -> TrainConfig.from(Map.of("lr", "-1"), dir));
    assertEquals("lr must be positive, got -1", bad.getMessage());
  }
}
