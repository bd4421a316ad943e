package dev.capstan.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data parallelism must not change the result: the same global batch trained by 1, 2 or 3 real
 * processes over the TCP ring gives the same parameters (within float rounding of the sums).
 */
class DataParallelEquivalenceTest {
  @TempDir
  Path dir;

  @Test
  void parametersAfterTwentyStepsAgreeAcrossWorldSizesOneTwoAndThree() throws Exception {
    float[] reference = null;
    for (int worldSize = 1; worldSize <= 3; worldSize++) {
      Path output = dir.resolve("model-" + worldSize);
      List<String> flags = List.of("--steps", "20", "--batch-size", "60", "--optimizer", "sgd", "--lr", "0.1",
          "--momentum", "0.9", "--hidden", "32", "--held-out", "0", "--log-every", "5", "--threads", "1",
          "--bucket-kb", "4", "--output", output.toString());
      List<TrainerProcess> ranks = TrainerProcess.startAll(dir.resolve("logs"), worldSize, flags, "ws" + worldSize);
      try {
        for (TrainerProcess rank : ranks) {
          assertEquals(0, rank.await(120), rank.describe());
        }
      } finally {
        TrainerProcess.killAll(ranks);
      }
      assertTrue(ranks.get(0).out().contains("step=20 loss="), ranks.get(0).describe());
      float[] params = ModelDirectory.readParameters(output);
      if (reference == null) {
        reference = params;
        continue;
      }
      assertEquals(reference.length, params.length);
      float worst = 0;
      for (int i = 0; i < params.length; i++) {
        worst = Math.max(worst, Math.abs(reference[i] - params[i]));
      }
      assertTrue(worst <= 1e-5f, "world size " + worldSize + " differs from 1 by up to " + worst);
    }
  }
}
