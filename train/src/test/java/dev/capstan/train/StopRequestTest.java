package dev.capstan.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stop request (SIGTERM in a process) checkpoints the last finished step at once; the next run resumes there. */
class StopRequestTest {
  @TempDir
  Path dir;

  record Run(int exit, String err) {}

  private Run train(long steps, BooleanSupplier stop) {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("steps", String.valueOf(steps));
    settings.put("checkpoint-every", "10");
    settings.put("checkpoint-dir", "ckpt");
    settings.put("output", "model");
    settings.put("threads", "1");
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = TrainRun.run(settings, Map.of(), dir, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8), stop);
    return new Run(exit, err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aStoppedRunCheckpointsWhereItStoodAndTheNextResumesThere() {
    AtomicInteger checks = new AtomicInteger();
    Run stopped = train(60, () -> checks.incrementAndGet() > 25);
    assertEquals(TrainRun.EXIT_PREEMPTED, stopped.exit(), stopped.err());
    assertTrue(Files.exists(dir.resolve("ckpt/ckpt-000000000025.bin")), "step 25 is checkpointed though checkpoint-every is 10");
    assertTrue(!Files.exists(dir.resolve("model")), "a stopped run writes no model");

    Run resumed = train(60, () -> false);
    assertEquals(0, resumed.exit(), resumed.err());
    assertTrue(resumed.err().contains("at step 25"), "nothing recomputed: " + resumed.err());
    assertTrue(Files.exists(dir.resolve("ckpt/ckpt-000000000060.bin")));
  }
}
