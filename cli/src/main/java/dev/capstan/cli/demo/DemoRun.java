package dev.capstan.cli.demo;

import dev.capstan.cli.ServerClient;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What the steps of one demo share: the control plane's client, the namespace and work directory
 * the demo owns, its pace ({@code --fast} shortens waits, never skips a step), the output, and the
 * training job that the later steps build on.
 */
public final class DemoRun {
  /** The TrainingJob the demo runs, as named in examples/demo/training.yaml. */
  static final String JOB = "digits";
  /** The model it registers. */
  static final String MODEL = "digits";

  private final ServerClient client;
  private final String namespace;
  private final Path root;
  private final Path workDir;
  private final boolean fast;
  private final DemoOutput out;
  private TrainingProgress training;
  private String modelVersion;
  private String trainedAccuracy = "-";
  private String serviceUrl;
  private int requests;
  private int failedRequests;

  public DemoRun(ServerClient client, String namespace, Path root, Path workDir, boolean fast, DemoOutput out) {
    this.client = client;
    this.namespace = namespace;
    this.root = root;
    this.workDir = workDir;
    this.fast = fast;
    this.out = out;
  }

  ServerClient client() {
    return client;
  }

  String namespace() {
    return namespace;
  }

  /** The repository's root: where examples/demo lies. */
  Path root() {
    return root;
  }

  /** Checkpoints and the trained models; owned by the demo and removed by its clean-up. */
  Path workDir() {
    return workDir;
  }

  boolean fast() {
    return fast;
  }

  DemoOutput out() {
    return out;
  }

  /** How often the demo looks at the control plane. */
  Duration poll() {
    return Duration.ofMillis(fast ? 100 : 250);
  }

  /** How long a step may take before the demo gives up on it (a loaded machine is slow, never this slow). */
  Duration stepDeadline() {
    return Duration.ofMinutes(5);
  }

  /** The training started by the first step, which the later ones watch. */
  TrainingProgress training() {
    if (training == null) {
      throw new IllegalStateException("the training step has not run");
    }
    return training;
  }

  void training(TrainingProgress progress) {
    this.training = progress;
  }

  /** The held-out accuracy the trainer reported (status.metrics.eval_accuracy). */
  String trainedAccuracy() {
    return trainedAccuracy;
  }

  void trainedAccuracy(String accuracy) {
    this.trainedAccuracy = accuracy;
  }

  /** The version the register step made. */
  String modelVersion() {
    if (modelVersion == null) {
      throw new IllegalStateException("the register step has not run");
    }
    return modelVersion;
  }

  void modelVersion(String version) {
    this.modelVersion = version;
  }

  /** The service's URL at the gateway, once the serve step has it; null before. */
  String serviceUrl() {
    return serviceUrl;
  }

  void serviceUrl(String url) {
    this.serviceUrl = url;
  }

  /** Counts requests the demo sent to served models, and those that failed. */
  void served(int sent, int failed) {
    requests += sent;
    failedRequests += failed;
  }

  int requests() {
    return requests;
  }

  int failedRequests() {
    return failedRequests;
  }
}
