package dev.capstan.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import dev.capstan.train.collective.LinkTransport;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data parallelism must not change the result: the same global batch trained by 1, 2 or 3 real
 * processes gives the same parameters (within float rounding of the sums), whether the ranks sum
 * gradients in host shared memory or over the TCP ring.
 */
class DataParallelEquivalenceTest {
  @TempDir
  Path dir;

  @ParameterizedTest
  @EnumSource(LinkTransport.class)
  void parametersAfterTwentyStepsAgreeAcrossWorldSizesOneTwoAndThree(LinkTransport transport) throws Exception {
    float[] reference = null;
    for (int worldSize = 1; worldSize <= 3; worldSize++) {
      Path output = dir.resolve("model-" + transport + "-" + worldSize);
      List<String> flags = List.of("--steps", "20", "--batch-size", "60", "--optimizer", "sgd", "--lr", "0.1",
          "--momentum", "0.9", "--hidden", "32", "--held-out", "0", "--log-every", "5", "--threads", "1",
          "--bucket-kb", "4", "--output", output.toString());
      List<TrainerProcess> ranks = TrainerProcess.startAll(dir.resolve("logs"), worldSize, flags,
          transport + "-ws" + worldSize, Map.of(LinkTransport.VARIABLE, transport.name().toLowerCase(Locale.ROOT)));
      try {
        for (TrainerProcess rank : ranks) {
          assertEquals(0, rank.await(120), rank.describe());
        }
      } finally {
        TrainerProcess.killAll(ranks);
      }
      assertTrue(ranks.get(0).out().contains("step=20 loss="), ranks.get(0).describe());
      if (worldSize > 1) {
        String expected = transport == LinkTransport.TCP ? "over TCP" : "over shared memory";
        assertTrue(ranks.get(0).describe().contains("links: to rank 1 " + expected), ranks.get(0).describe());
      }
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
