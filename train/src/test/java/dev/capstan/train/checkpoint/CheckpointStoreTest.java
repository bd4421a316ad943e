package dev.capstan.train.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {
  @TempDir
  Path dir;

  final List<String> log = new ArrayList<>();

  static TrainingState state(long step) {
    return new TrainingState(step, step * 64, "mlp test", new float[] {step, 1, 2}, new float[][] {{3, 4, 5}});
  }

  @Test
  void loadsTheNewestAndKeepsOnlyTheLastFew() {
    CheckpointStore store = new CheckpointStore(dir, 2, log::add);
    for (long step = 10; step <= 40; step += 10) {
      assertTrue(store.save(state(step)));
    }
    CheckpointStore.Loaded loaded = store.loadLatest("mlp test").orElseThrow();
    assertEquals(40, loaded.state().step());
    assertEquals(2560, loaded.state().samplesSeen());
    assertArrayEquals(new float[] {40, 1, 2}, loaded.state().parameters());
    assertArrayEquals(new float[] {3, 4, 5}, loaded.state().optimizerState()[0]);
    assertFalse(Files.exists(store.fileFor(20)));
    assertTrue(Files.exists(store.fileFor(30)));
  }

  @Test
  void aCorruptNewestCheckpointFallsBackToThePreviousOne() throws IOException {
    CheckpointStore store = new CheckpointStore(dir, 3, log::add);
    store.save(state(10));
    store.save(state(20));
    byte[] bytes = Files.readAllBytes(store.fileFor(20));
    bytes[bytes.length / 2] ^= 0x40;
    Files.write(store.fileFor(20), bytes);
    assertEquals(10, store.loadLatest("mlp test").orElseThrow().state().step());
    assertTrue(log.stream().anyMatch(l -> l.contains("ckpt-000000000020.bin is unusable (checksum mismatch")), log.toString());
  }

  @Test
  void aTornNewestCheckpointFallsBackToThePreviousOne() throws IOException {
    CheckpointStore store = new CheckpointStore(dir, 3, log::add);
    store.save(state(10));
    store.save(state(20));
    try (FileChannel channel = FileChannel.open(store.fileFor(20), StandardOpenOption.WRITE)) {
      channel.truncate(channel.size() / 2);
    }
    assertEquals(10, store.loadLatest("mlp test").orElseThrow().state().step());
  }

  @Test
  void aDamagedManifestFallsBackToScanningTheDirectory() throws IOException {
    CheckpointStore store = new CheckpointStore(dir, 3, log::add);
    store.save(state(10));
    store.save(state(20));
    Files.writeString(dir.resolve("manifest.json"), "{\"steps\": [1");
    assertEquals(20, store.loadLatest("mlp test").orElseThrow().state().step());
  }

  @Test
  void aCheckpointOfAnotherModelIsNotResumed() {
    CheckpointStore store = new CheckpointStore(dir, 3, log::add);
    store.save(state(10));
    assertTrue(store.loadLatest("cnn other").isEmpty());
  }

  @Test
  void aFailedWriteLeavesThePreviousCheckpointIntactAndIsReported() throws IOException {
    new CheckpointStore(dir, 3, log::add).save(state(10));
    byte[] manifestBefore = Files.readAllBytes(dir.resolve("manifest.json"));
    CheckpointStore.DurableWriter fullDisk = (file, bytes) -> {
      Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 3));
      throw new IOException("No space left on device");
    };
    CheckpointStore failing = new CheckpointStore(dir, 3, fullDisk, log::add);
    assertFalse(failing.save(state(20)));
    assertTrue(log.stream().anyMatch(l -> l.startsWith("error: checkpoint at step 20 failed")
        && l.contains("No space left on device") && l.contains("checkpoint at step 10 kept")), log.toString());
    assertArrayEquals(manifestBefore, Files.readAllBytes(dir.resolve("manifest.json")));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of("ckpt-000000000010.bin", "manifest.json"),
          files.map(p -> p.getFileName().toString()).sorted().toList());
    }
    assertEquals(10, failing.loadLatest("mlp test").orElseThrow().state().step());
  }
}
