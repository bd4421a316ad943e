package dev.capstan.train;

import dev.capstan.train.checkpoint.CheckpointStore;
import dev.capstan.train.collective.CollectiveException;
import dev.capstan.train.collective.Communicator;
import dev.capstan.train.collective.Rendezvous;
import dev.capstan.train.collective.RendezvousSpec;
import dev.capstan.train.data.DataSource;
import dev.capstan.train.data.Dataset;
import dev.capstan.train.data.HeldOutSplit;
import dev.capstan.train.model.Architecture;
import dev.capstan.train.model.Network;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One training process from settings and the environment contract to an exit code: load data,
 * build the model, rendezvous, train, evaluate on held-out data, write the model directory.
 */
public final class TrainRun {
  public static final int EXIT_OK = 0;
  /** A permanent failure: unreadable data, a write that failed, a bug. */
  public static final int EXIT_FAILED = 1;
  /** Bad settings or environment. */
  public static final int EXIT_USAGE = 2;
  /**
   * A peer died, stalled or never joined. At or above 128 so that the ExitCode restart policy treats
   * it as retryable, like the signal that killed the peer.
   */
  public static final int EXIT_PEER_FAILURE = 128;
  /**
   * Stopped on request (SIGTERM: a preemption or a deletion) after checkpointing the last finished
   * step. 128 + 15, what a process killed by SIGTERM reports, so restart policies treat both alike.
   */
  public static final int EXIT_PREEMPTED = 143;

  private TrainRun() {}

  public static int run(Map<String, String> settings, Map<String, String> env, Path baseDir, PrintStream out,
      PrintStream err) {
    return run(settings, env, baseDir, out, err, () -> false);
  }

  /** A run that ends early, checkpointed, once {@code stop} says so ({@link StopRequest#onSigterm()} for a process). */
  public static int run(Map<String, String> settings, Map<String, String> env, Path baseDir, PrintStream out,
      PrintStream err, java.util.function.BooleanSupplier stop) {
    String[] who = {"capstan-train"};
    Consumer<String> log = line -> {
      err.println(who[0] + ": " + line);
      err.flush();
    };
    TrainConfig config;
    RendezvousSpec spec;
    try {
      config = TrainConfig.from(settings, baseDir, env);
      spec = RendezvousSpec.fromEnvironment(env, config.rendezvousTimeout(), config.timeout());
      if (config.batchSize() < spec.worldSize()) {
        throw new IllegalArgumentException("batch-size " + config.batchSize() + " is smaller than WORLD_SIZE "
            + spec.worldSize());
      }
    } catch (IllegalArgumentException | IOException e) {
      log.accept("error: " + e.getMessage());
      return EXIT_USAGE;
    }
    who[0] = "capstan-train rank " + spec.rank() + "/" + spec.worldSize();
    setEngineThreads(config, spec);
    try {
      Dataset all = DataSource.load(config.data(), baseDir, config.seed());
      HeldOutSplit split = HeldOutSplit.of(all, config.heldOut(), config.seed());
      float scale = config.inputScale() != null ? config.inputScale()
          : config.data().equals(DataSource.DIGITS) ? 1f / 16 : 1f;
      Architecture architecture = config.model().equals("mlp")
          ? Architecture.mlp(all.sampleShape(), all.classes(), config.hidden(), scale)
          : Architecture.cnn(all.sampleShape(), all.classes(), config.channels(), config.hidden()[0], scale);
      long totalSteps = config.steps() > 0 ? config.steps()
          : Math.ceilDiv((long) config.epochs() * split.train().size(), config.batchSize());
      try (Network network = Network.create(architecture, config.seed());
          Communicator communicator = Rendezvous.join(spec)) {
        log.accept(String.format(Locale.ROOT, "%s with %,d parameters, %d training and %d held-out samples, "
            + "global batch %d, %d steps, optimizer %s lr %s", architecture.name(), network.parameterCount(),
            split.train().size(), split.heldOut().size(), config.batchSize(), totalSteps, config.optimizer(),
            config.learningRate()));
        log.accept("links: " + communicator.describeLinks());
        Optional<CheckpointStore> checkpoints = Optional.ofNullable(config.checkpointDir())
            .map(dir -> new CheckpointStore(dir, config.keepCheckpoints(), log));
        Trainer trainer = new Trainer(config, communicator, network, checkpoints, out, log, stop);
        Trainer.Outcome outcome = trainer.train(split.train(), totalSteps);
        if (outcome.stopped()) {
          if (outcome.finalCheckpointFailed()) {
            log.accept("error: stopped at step " + outcome.state().step() + " but its checkpoint was not written");
            return EXIT_FAILED;
          }
          log.accept("stopped at step " + outcome.state().step() + " on request; a restart resumes from there");
          return EXIT_PREEMPTED;
        }
        if (spec.rank() == 0) {
          finish(config, network, split, outcome, spec.worldSize(), out, log);
          if (outcome.finalCheckpointFailed()) {
            log.accept("error: the final checkpoint (step " + outcome.state().step() + ") was not written (see the "
                + "checkpoint error above); the run counts as failed, and a restart resumes from the newest checkpoint saved");
            return EXIT_FAILED;
          }
        }
      }
      return EXIT_OK;
    } catch (CollectiveException e) {
      log.accept("error: " + e.getMessage());
      return EXIT_PEER_FAILURE;
    } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
      log.accept("error: " + e.getMessage());
      return EXIT_FAILED;
    }
  }

  private static void finish(TrainConfig config, Network network, HeldOutSplit split, Trainer.Outcome outcome,
      int worldSize, PrintStream out, Consumer<String> log) throws IOException {
    Map<String, Object> metrics = new LinkedHashMap<>();
    metrics.put("step", outcome.state().step());
    metrics.put("loss", outcome.lastLoss());
    metrics.put("accuracy", outcome.lastAccuracy());
    if (!Double.isNaN(outcome.samplesPerSecond())) {
      metrics.put("samples_per_second", outcome.samplesPerSecond());
      out.printf(Locale.ROOT, "step=%d samples_per_second=%.1f%n", outcome.state().step(), outcome.samplesPerSecond());
    }
    if (split.heldOut().size() > 0) {
      Dataset heldOut = split.heldOut();
      Network.BatchResult eval = network.evaluate(heldOut.features(), heldOut.labels());
      double evalLoss = eval.lossSum() / eval.samples();
      double evalAccuracy = (double) eval.correct() / eval.samples();
      out.printf(Locale.ROOT, "step=%d eval_loss=%.4f eval_accuracy=%.4f%n", outcome.state().step(), evalLoss,
          evalAccuracy);
      out.flush();
      metrics.put("eval_loss", evalLoss);
      metrics.put("eval_accuracy", evalAccuracy);
      metrics.put("eval_samples", eval.samples());
    }
    if (config.output() != null) {
      Map<String, Object> training = new LinkedHashMap<>();
      training.put("data", config.data());
      training.put("optimizer", config.optimizer());
      training.put("learningRate", config.learningRate());
      training.put("batchSize", config.batchSize());
      training.put("steps", outcome.state().step());
      training.put("worldSize", worldSize);
      training.put("seed", config.seed());
      ModelDirectory.write(config.output(), network, outcome.state().parameters(), metrics, training);
      log.accept("model written to " + config.output());
    }
  }

  /** PyTorch threads: the setting, else the cores shared among the ranks when they all run on this host. */
  private static void setEngineThreads(TrainConfig config, RendezvousSpec spec) {
    int threads = config.threads();
    if (threads == 0) {
      int cores = Runtime.getRuntime().availableProcessors();
      threads = isLoopback(spec.masterAddr()) ? Math.max(1, cores / spec.worldSize()) : cores;
    }
    System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threads));
    System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
  }

  private static boolean isLoopback(String host) {
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (IOException e) {
      return false;
    }
  }
}
