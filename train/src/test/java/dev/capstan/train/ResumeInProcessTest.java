package dev.capstan.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.train.checkpoint.CheckpointStore;
import dev.capstan.train.collective.SingleProcess;
import dev.capstan.train.data.DataSource;
import dev.capstan.train.data.Dataset;
import dev.capstan.train.model.Architecture;
import dev.capstan.train.model.Network;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoint behaviour seen from a whole training run (world size 1, in this JVM). */
class ResumeInProcessTest {
  @TempDir
  Path dir;

  record Run(int exit, String out, String err) {}

  Run train(long steps) {
    return train(steps, "ckpt");
  }

  Run train(long steps, String checkpointDir) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("steps", String.valueOf(steps));
    settings.put("checkpoint-every", "10");
    settings.put("checkpoint-dir", checkpointDir);
    settings.put("output", "model");
    settings.put("threads", "1");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = TrainRun.run(settings, Map.of(), dir, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aCorruptNewestCheckpointIsSkippedForThePreviousOneAndTrainingCompletes() throws IOException {
    Run first = train(40);
    assertEquals(0, first.exit(), first.err());
    Path newest = dir.resolve("ckpt/ckpt-000000000040.bin");
    byte[] bytes = Files.readAllBytes(newest);
    bytes[100] ^= 1;
    Files.write(newest, bytes);

    Run second = train(60);
    assertEquals(0, second.exit(), second.err());
    assertTrue(second.err().contains("ckpt-000000000040.bin is unusable"), second.err());
    assertTrue(second.err().contains("at step 30"), second.err());
    assertTrue(second.out().startsWith("step=40 loss="), second.out());
    assertTrue(second.out().contains("step=60 eval_loss="), second.out());
    assertTrue(Files.exists(dir.resolve("model/model.yaml")));
    assertTrue(Files.exists(dir.resolve("model/model.safetensors")));
  }

  @Test
  void aRunThatAlreadyReachedItsStepsDoesNotGoBack() {
    assertEquals(0, train(20).exit());
    Run again = train(20);
    assertEquals(0, again.exit(), again.err());
    assertTrue(again.err().contains("at step 20"), again.err());
    assertTrue(again.out().startsWith("step=20 eval_loss="), again.out());
  }

  @Test
  void aRunWhoseFinalCheckpointFailsExitsNonZeroAndSaysWhy() throws IOException {
    // a regular file where the checkpoint directory's parent should be: every checkpoint write fails
    Files.writeString(dir.resolve("blocked"), "not a directory");
    Run run = train(20, "blocked/ckpt");
    assertEquals(TrainRun.EXIT_FAILED, run.exit(), run.err());
    assertTrue(run.err().contains("error: the final checkpoint (step 20) was not written"), run.err());
    assertTrue(run.out().contains("step=20 eval_loss="), run.out());
    assertTrue(Files.exists(dir.resolve("model/model.safetensors")), "the trained model is still written");
  }

  @Test
  void aFailedCheckpointWriteIsReportedAndTrainingGoesOn() throws Exception {
    TrainConfig config = TrainConfig.from(Map.of("steps", "30", "checkpoint-every", "10", "threads", "1"), dir);
    Dataset data = DataSource.load("digits", dir, 42);
    List<String> log = new ArrayList<>();
    int[] writes = {0};
    CheckpointStore.DurableWriter diskFillsAfterFirstCheckpoint = (file, bytes) -> {
      if (++writes[0] > 2) {
        throw new IOException("No space left on device");
      }
      Files.write(file, bytes);
    };
    CheckpointStore store = new CheckpointStore(dir.resolve("ckpt"), 3, diskFillsAfterFirstCheckpoint, log::add);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (Network network = Network.create(Architecture.mlp(data.sampleShape(), 10, new int[] {16}, 1f / 16), 1)) {
      Trainer trainer = new Trainer(config, new SingleProcess(), network, Optional.of(store),
          new PrintStream(out, true, StandardCharsets.UTF_8), log::add);
      Trainer.Outcome outcome = trainer.train(data, 30);
      assertEquals(30, outcome.state().step());
      assertTrue(outcome.finalCheckpointFailed());
      assertTrue(log.stream().anyMatch(l -> l.startsWith("error: checkpoint at step 20 failed")
          && l.contains("No space left on device") && l.contains("checkpoint at step 10 kept")), log.toString());
      assertEquals(10, store.loadLatest(trainer.fingerprint()).orElseThrow().state().step());
      assertTrue(out.toString(StandardCharsets.UTF_8).contains("step=30 loss="));
    }
  }
}
