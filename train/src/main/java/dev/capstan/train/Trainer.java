package dev.capstan.train;

import dev.capstan.train.checkpoint.CheckpointStore;
import dev.capstan.train.checkpoint.TrainingState;
import dev.capstan.train.collective.Communicator;
import dev.capstan.train.data.BatchPlan;
import dev.capstan.train.data.Dataset;
import dev.capstan.train.model.Network;
import dev.capstan.train.optim.Optimizer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The data-parallel training loop of one rank: resume (rank 0 reads the newest checkpoint and
 * broadcasts it), then per step forward/backward on this rank's shard of the global batch, sum the
 * gradients across ranks, divide by the global batch size, update identically everywhere; rank 0
 * prints metric lines and writes checkpoints in the background ({@link BackgroundCheckpoints}).
 */
public final class Trainer {
  /**
   * What training ended with. {@code finalCheckpointFailed}: rank 0 was to checkpoint the last step
   * and that write failed (logged when it happened), so the run is not durable. {@code stopped}: a
   * stop was requested and training ended early at {@code state.step()}, checkpointed there.
   */
  public record Outcome(TrainingState state, double lastLoss, double lastAccuracy, double samplesPerSecond,
      boolean finalCheckpointFailed, boolean stopped) {}

  private final TrainConfig config;
  private final Communicator communicator;
  private final Network network;
  private final Optimizer optimizer;
  private final Optional<CheckpointStore> checkpoints;
  private final PrintStream metrics;
  private final Consumer<String> log;
  private final BooleanSupplier stop;

  public Trainer(TrainConfig config, Communicator communicator, Network network,
      Optional<CheckpointStore> checkpoints, PrintStream metrics, Consumer<String> log) {
    this(config, communicator, network, checkpoints, metrics, log, () -> false);
  }

  /** A trainer that ends early, checkpointing the last finished step, once {@code stop} says so (checked between steps). */
  public Trainer(TrainConfig config, Communicator communicator, Network network,
      Optional<CheckpointStore> checkpoints, PrintStream metrics, Consumer<String> log, BooleanSupplier stop) {
    this.stop = stop;
    this.config = config;
    this.communicator = communicator;
    this.network = network;
    this.optimizer = Optimizer.create(config.optimizer(), network.parameterCount(), config.learningRate(),
        config.momentum());
    this.checkpoints = checkpoints;
    this.metrics = metrics;
    this.log = log;
  }

  /** Text identifying the model and optimizer; checkpoints of anything else are not resumed. */
  public String fingerprint() {
    StringBuilder text = new StringBuilder(network.architecture().name()).append(' ');
    network.architecture().layers().forEach(layer -> text.append(layer.describe()));
    return text.append(" optimizer=").append(optimizer.name()).toString();
  }

  /** Trains until {@code totalSteps}; returns the final state (on every rank). */
  public Outcome train(Dataset train, long totalSteps) {
    TrainingState start = resume();
    float[] params = start.parameters();
    network.setParameters(params);
    float[] grads = new float[params.length];
    BatchPlan plan = new BatchPlan(train.size(), config.batchSize(), config.seed());
    int rank = communicator.rank();
    int world = communicator.worldSize();
    long samplesSeen = start.samplesSeen();
    double loss = Double.NaN;
    double accuracy = Double.NaN;
    int batch = config.batchSize();
    long timedFrom = 0;
    long timedSteps = 0;
    BackgroundCheckpoints writer = checkpoints.map(store -> new BackgroundCheckpoints(store, log)).orElse(null);
    long last = totalSteps;
    try (GradientExchange exchange = new GradientExchange(communicator, network, config.bucketKb() * 1024)) {
      for (long step = start.step() + 1; step <= totalSteps; step++) {
        if (stop.getAsBoolean()) {
          last = step - 1;
          log.accept("stop requested: checkpointing step " + last + " and ending");
          if (rank == 0 && writer != null && last > start.step()) {
            writer.save(new TrainingState(last, samplesSeen, fingerprint(), params.clone(), copy(optimizer.state())));
          }
          break;
        }
        Dataset shard = train.select(plan.shard(samplesSeen, rank, world));
        Network.BatchResult local = network.backward(shard.features(), shard.labels());
        long current = step;
        GradientExchange.Totals totals = exchange.exchange(network, local, grads, (from, to) -> {
          for (int i = from; i < to; i++) {
            grads[i] /= batch;
          }
          optimizer.update(params, grads, from, to, current);
        });
        network.setParameters(params);
        samplesSeen += batch;
        pause(config.stepDelayMs());
        if (step == start.step() + 1) {
          timedFrom = System.nanoTime();
        } else {
          timedSteps++;
        }
        loss = totals.lossSum() / batch;
        accuracy = (double) totals.correct() / batch;
        if (rank == 0 && (step % config.logEvery() == 0 || step == totalSteps)) {
          metrics.printf(Locale.ROOT, "step=%d loss=%.4f accuracy=%.4f%n", step, loss, accuracy);
          metrics.flush();
        }
        if (rank == 0 && writer != null && (step % config.checkpointEvery() == 0 || step == totalSteps)) {
          writer.save(new TrainingState(step, samplesSeen, fingerprint(), params.clone(), copy(optimizer.state())));
        }
      }
    } finally {
      if (writer != null) {
        writer.close();
      }
    }
    TrainingState end = new TrainingState(Math.max(start.step(), last), samplesSeen, fingerprint(), params,
        optimizer.state());
    double seconds = (System.nanoTime() - timedFrom) / 1e9;
    double throughput = timedSteps == 0 ? Double.NaN : timedSteps * (double) batch / seconds;
    boolean finalCheckpointFailed = writer != null && start.step() < last && writer.lastSavedStep() < last;
    return new Outcome(end, loss, accuracy, throughput, finalCheckpointFailed, last < totalSteps);
  }

  private static float[][] copy(float[][] arrays) {
    float[][] copy = new float[arrays.length][];
    for (int i = 0; i < arrays.length; i++) {
      copy[i] = arrays[i].clone();
    }
    return copy;
  }

  /** Slows each step down on purpose (step-delay-ms), for demonstrations and failure tests. */
  private static void pause(int millis) {
    if (millis > 0) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private TrainingState resume() {
    byte[] chosen = null;
    if (communicator.rank() == 0) {
      TrainingState state = checkpoints.flatMap(store -> store.loadLatest(fingerprint()))
          .map(loaded -> {
            log.accept("resuming from " + loaded.file() + " at step " + loaded.state().step());
            return loaded.state();
          })
          .orElseGet(() -> new TrainingState(0, 0, fingerprint(), network.parameters(), optimizer.state()));
      chosen = state.encode();
    }
    byte[] agreed = communicator.broadcast(chosen);
    try {
      TrainingState state = TrainingState.decode(agreed);
      float[][] target = optimizer.state();
      for (int i = 0; i < target.length; i++) {
        System.arraycopy(state.optimizerState()[i], 0, target[i], 0, target[i].length);
      }
      return state;
    } catch (IOException e) {
      throw new UncheckedIOException("the state broadcast by rank 0 did not verify", e);
    }
  }
}
