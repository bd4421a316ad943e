package dev.capstan.cli;

import dev.capstan.train.TrainRun;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code capstan train}: one data-parallel training process (what a TrainingJob replica runs). It
 * reads MASTER_ADDR, MASTER_PORT, WORLD_SIZE and RANK; without them it trains alone.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = {"Train a classifier with DJL (PyTorch engine), data-parallel over TCP when WORLD_SIZE > 1.",
        "Reads MASTER_ADDR, MASTER_PORT, WORLD_SIZE, RANK. Prints step=… loss=… accuracy=… lines.",
        "Exit codes: 0 done, 1 failed, 2 bad settings, 128 a peer died, stalled or never joined (retryable)."})
public final class TrainCommand implements Callable<Integer> {
  @Option(names = "--config", paramLabel = "FILE", description = "YAML file of settings (keys as the flags below).")
  String config;

  @Option(names = "--model", description = "mlp (default) or cnn.")
  String model;

  @Option(names = "--hidden", paramLabel = "N[,N…]", description = "Hidden widths (mlp: 128,64; cnn: 64).")
  String hidden;

  @Option(names = "--channels", paramLabel = "N[,N…]", description = "cnn convolution channels (16,32).")
  String channels;

  @Option(names = "--optimizer", description = "sgd (momentum, default) or adam.")
  String optimizer;

  @Option(names = "--lr", description = "Learning rate (sgd 0.05, adam 0.001).")
  String lr;

  @Option(names = "--momentum", description = "SGD momentum (0.9).")
  String momentum;

  @Option(names = "--batch-size", description = "Global batch size, split across ranks (64).")
  String batchSize;

  @Option(names = "--steps", description = "Optimizer steps (default: from --epochs).")
  String steps;

  @Option(names = "--epochs", description = "Epochs over the training data (10).")
  String epochs;

  @Option(names = "--seed", description = "Seed of initialisation, shuffling and synthetic data (42).")
  String seed;

  @Option(names = "--data", description = "digits (default), synthetic:N:FEATURES:CLASSES, FILE.csv[.gz], X.npy,Y.npy.")
  String data;

  @Option(names = "--held-out", description = "Fraction held out for the final evaluation (0.2).")
  String heldOut;

  @Option(names = "--input-scale", description = "Input multiplier (digits: 0.0625, else 1).")
  String inputScale;

  @Option(names = "--checkpoint-dir", paramLabel = "DIR", description = "Write checkpoints here and resume from them.")
  String checkpointDir;

  @Option(names = "--checkpoint-every", paramLabel = "STEPS", description = "Checkpoint interval (50).")
  String checkpointEvery;

  @Option(names = "--keep-checkpoints", description = "Checkpoints kept (3).")
  String keepCheckpoints;

  @Option(names = "--output", paramLabel = "DIR", description = "Write the trained model directory here (default: $CAPSTAN_OUTPUT_DIR when set, as in a job with spec.output).")
  String output;

  @Option(names = "--log-every", paramLabel = "STEPS", description = "Metric line interval (10).")
  String logEvery;

  @Option(names = "--timeout", paramLabel = "SECONDS", description = "Fail when a peer makes no progress this long (20).")
  String timeout;

  @Option(names = "--rendezvous-timeout", paramLabel = "SECONDS", description = "Wait this long for all ranks (120).")
  String rendezvousTimeout;

  @Option(names = "--bucket-kb", description = "Gradient bucket size in KiB (1024).")
  String bucketKb;

  @Option(names = "--threads", description = "PyTorch threads (0: cores shared among local ranks).")
  String threads;

  @Option(names = "--step-delay-ms", hidden = true, description = "Sleep after each step (demos, failure tests).")
  String stepDelayMs;

  @Override
  public Integer call() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("config", config);
    settings.put("model", model);
    settings.put("hidden", hidden);
    settings.put("channels", channels);
    settings.put("optimizer", optimizer);
    settings.put("lr", lr);
    settings.put("momentum", momentum);
    settings.put("batch-size", batchSize);
    settings.put("steps", steps);
    settings.put("epochs", epochs);
    settings.put("seed", seed);
    settings.put("data", data);
    settings.put("held-out", heldOut);
    settings.put("input-scale", inputScale);
    settings.put("checkpoint-dir", checkpointDir);
    settings.put("checkpoint-every", checkpointEvery);
    settings.put("keep-checkpoints", keepCheckpoints);
    settings.put("output", output);
    settings.put("log-every", logEvery);
    settings.put("timeout", timeout);
    settings.put("rendezvous-timeout", rendezvousTimeout);
    settings.put("bucket-kb", bucketKb);
    settings.put("threads", threads);
    settings.put("step-delay-ms", stepDelayMs);
    settings.values().removeIf(java.util.Objects::isNull);
    return TrainRun.run(settings, System.getenv(), Path.of("").toAbsolutePath(), System.out, System.err,
        dev.capstan.train.StopRequest.onSigterm());
  }
}
