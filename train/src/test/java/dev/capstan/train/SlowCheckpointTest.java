package dev.capstan.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.capstan.train.checkpoint.CheckpointStore;
import dev.capstan.train.collective.Communicator;
import dev.capstan.train.collective.Rendezvous;
import dev.capstan.train.collective.RendezvousSpec;
import dev.capstan.train.data.DataSource;
import dev.capstan.train.data.Dataset;
import dev.capstan.train.model.Architecture;
import dev.capstan.train.model.Network;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rank 0's disk takes longer per checkpoint than the collective timeout of the other rank. */
class SlowCheckpointTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(1);

  @TempDir
  Path dir;

  @Test
  void aCheckpointWriteSlowerThanTheCollectiveTimeoutStallsNoRank() throws Exception {
    TrainConfig config = TrainConfig.from(Map.of("steps", "30", "checkpoint-every", "10", "threads", "1",
        "batch-size", "60", "hidden", "16"), dir);
    Dataset data = DataSource.load("digits", dir, 42);
    List<String> log = Collections.synchronizedList(new ArrayList<>());
    CheckpointStore.DurableWriter slowDisk = (file, bytes) -> {
      if (file.getFileName().toString().startsWith(".ckpt-")) {
        try {
          Thread.sleep(TIMEOUT.toMillis() * 3 / 2);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      Files.write(file, bytes);
    };
    CheckpointStore store = new CheckpointStore(dir.resolve("ckpt"), 3, slowDisk, log::add);
    int port = TrainerProcess.freePort();
    // DJL allows one training graph per JVM, so rank 1 is a real trainer process; its --timeout 1
    // fails the job if rank 0 holds the next all-reduce for longer than a second
    TrainerProcess rank1 = TrainerProcess.start(dir.resolve("logs"), port, 2, 1, List.of("--steps", "30",
        "--batch-size", "60", "--hidden", "16", "--threads", "1", "--timeout", "1"), "slow-disk");
    AtomicReference<String> fingerprint = new AtomicReference<>();
    try {
      RendezvousSpec spec = new RendezvousSpec("127.0.0.1", port, 2, 0, Duration.ofSeconds(60), TIMEOUT);
      try (Communicator comm = Rendezvous.join(spec);
          Network network = Network.create(Architecture.mlp(data.sampleShape(), 10, new int[] {16}, 1f / 16), 1)) {
        Trainer trainer = new Trainer(config, comm, network, Optional.of(store),
            new PrintStream(OutputStream.nullOutputStream()), log::add);
        fingerprint.set(trainer.fingerprint());
        assertEquals(30L, trainer.train(data, 30).state().step(), log.toString());
      }
      assertEquals(0, rank1.await(60), rank1.describe());
    } finally {
      TrainerProcess.killAll(List.of(rank1));
    }
    // the final checkpoint is written before training returns
    assertEquals(30, store.loadLatest(fingerprint.get()).orElseThrow().state().step(), log.toString());
  }
}
