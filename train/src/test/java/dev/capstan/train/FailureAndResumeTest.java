package dev.capstan.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a gang restart relies on, with real processes: a SIGKILLed worker makes every other rank
 * exit with a clear error within the timeout, and the restarted gang resumes from the newest
 * checkpoint, recomputes at most one checkpoint interval and ends at exactly the requested step.
 */
class FailureAndResumeTest {
  private static final Pattern STEP = Pattern.compile("(?m)^step=(\\d+) loss=");
  private static final Pattern RESUMED = Pattern.compile("resuming from .* at step (\\d+)");

  @TempDir
  Path dir;

  @Test
  void killedWorkerFailsTheGangAndTheRestartResumesFromTheCheckpoint() throws Exception {
    Path checkpoints = dir.resolve("checkpoints");
    List<String> flags = List.of("--steps", "300", "--checkpoint-every", "25", "--checkpoint-dir",
        checkpoints.toString(), "--log-every", "1", "--step-delay-ms", "20", "--timeout", "5", "--threads", "1",
        "--output", dir.resolve("model").toString());
    List<TrainerProcess> first = TrainerProcess.startAll(dir.resolve("logs"), 3, flags, "first");
    int lastBeforeKill;
    try {
      lastBeforeKill = awaitStep(first.get(0), 60);
      first.get(1).process.destroyForcibly();
      for (int rank : new int[] {0, 2}) {
        TrainerProcess survivor = first.get(rank);
        assertEquals(TrainRun.EXIT_PEER_FAILURE, survivor.await(30), survivor.describe());
        assertTrue(survivor.err().contains("error: rank " + rank + ": "), survivor.describe());
      }
    } finally {
      TrainerProcess.killAll(first);
    }
    int lastPrinted = lastStep(first.get(0).out());
    assertTrue(lastPrinted >= lastBeforeKill && lastPrinted < 300, first.get(0).describe());

    List<TrainerProcess> second = TrainerProcess.startAll(dir.resolve("logs"), 3, flags, "second");
    try {
      for (TrainerProcess rank : second) {
        assertEquals(0, rank.await(120), rank.describe());
      }
    } finally {
      TrainerProcess.killAll(second);
    }
    String out = second.get(0).out();
    Matcher resumed = RESUMED.matcher(second.get(0).err());
    assertTrue(resumed.find(), second.get(0).describe());
    int resumedAt = Integer.parseInt(resumed.group(1));
    assertTrue(resumedAt > 0 && resumedAt % 25 == 0, "resumed at " + resumedAt);
    assertTrue(lastPrinted - resumedAt <= 25, "recomputed " + (lastPrinted - resumedAt) + " steps");
    Matcher firstAfter = STEP.matcher(out);
    assertTrue(firstAfter.find());
    assertEquals(resumedAt + 1, Integer.parseInt(firstAfter.group(1)), "the step counter continues");
    assertEquals(300, lastStep(out));
    assertTrue(out.contains("step=300 eval_loss="), second.get(0).describe());
  }

  @Test
  void aPeerThatNeverJoinsIsAClearErrorNotAHang() throws Exception {
    int port = TrainerProcess.freePort();
    List<String> flags = List.of("--steps", "5", "--rendezvous-timeout", "3", "--threads", "1");
    TrainerProcess rank0 = TrainerProcess.start(dir, port, 3, 0, flags, "lonely");
    TrainerProcess rank1 = TrainerProcess.start(dir, port, 3, 1, flags, "lonely");
    try {
      assertEquals(TrainRun.EXIT_PEER_FAILURE, rank0.await(60), rank0.describe());
      assertEquals(TrainRun.EXIT_PEER_FAILURE, rank1.await(60), rank1.describe());
      assertTrue(rank0.err().contains("rank(s) [2] of WORLD_SIZE 3 never joined"), rank0.describe());
      assertTrue(rank1.err().contains("never joined"), rank1.describe());
    } finally {
      TrainerProcess.killAll(List.of(rank0, rank1));
    }
  }

  private static int awaitStep(TrainerProcess rank0, int step) throws InterruptedException {
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (System.nanoTime() < deadline) {
      int last = lastStep(rank0.out());
      if (last >= step) {
        return last;
      }
      if (!rank0.process.isAlive()) {
        throw new AssertionError("rank 0 exited early\n" + rank0.describe());
      }
      Thread.sleep(50);
    }
    throw new AssertionError("rank 0 never reached step " + step + "\n" + rank0.describe());
  }

  private static int lastStep(String out) {
    Matcher matcher = STEP.matcher(out);
    int last = -1;
    while (matcher.find()) {
      last = Integer.parseInt(matcher.group(1));
    }
    return last;
  }
}
