package dev.capstan.cli.demo;

import dev.capstan.cli.ManifestFiles;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * Step 4: serves the registered version as an InferenceService with minReplicas 0 that follows the
 * model's alias (as examples/demo/serving.yaml asks), waits until the gateway routes it while no
 * replica runs, then sends the held-out digits through the gateway: the first request starts a
 * replica (its wait is the cold start), and the accuracy is measured over the served predictions.
 */
final class ServeStep implements DemoStep {
  static final String FILE = "examples/demo/serving.yaml";
  static final String SERVICE = "digits";
  private static final int BATCH = 30;

  @Override
  public String name() {
    return "serve from zero";
  }

  @Override
  public String title() {
    return "serve it as an InferenceService with minReplicas 0 and send the held-out digits through the gateway";
  }

  /** examples/demo/serving.yaml as it is, in the demo's namespace. */
  static ManifestFiles.Manifest manifest(DemoRun run) {
    return ManifestFiles.read(run.root().resolve(FILE).toString(), run.namespace()).get(0);
  }

  @Override
  public String run(DemoRun run) throws Exception {
    ManifestFiles.Manifest m = manifest(run);
    run.client().apply(m.kind(), m.namespace(), m.name(), m.doc());
    run.out().line("  applied " + FILE + " as isvc " + run.namespace() + "/" + SERVICE + " (storageUri "
        + m.doc().path("spec").path("predictor").path("model").path("storageUri").asText() + ", minReplicas 0)");
    String url = ServiceView.await(run, v -> v.is("Ready")).url();
    run.serviceUrl(url);
    run.out().line("  the gateway routes it at " + url + "; waiting for the idle revision to scale to zero");
    ServiceView.await(run, v -> v.is("Idle"));
    HeldOutDigits digits = HeldOutDigits.load();
    OipClient oip = new OipClient(url, SERVICE, Duration.ofMinutes(3));
    long first = System.nanoTime();
    OipClient.Input input = oip.firstInput();
    double coldStart = TrainingProgress.seconds(System.nanoTime() - first);
    run.served(1, 0);
    run.out().line(String.format(Locale.ROOT, "  first request answered after %.1fs: the gateway held it while a replica started (cold start)", coldStart));
    int correct = 0;
    int requests = 0;
    for (int from = 0; from < digits.size(); from += BATCH) {
      int to = Math.min(digits.size(), from + BATCH);
      int[] predicted = oip.classify(input, Arrays.copyOfRange(digits.rows(), from, to));
      requests++;
      for (int i = 0; i < predicted.length; i++) {
        correct += predicted[i] == digits.labels()[from + i] ? 1 : 0;
      }
    }
    run.served(requests, 0);
    double accuracy = (double) correct / digits.size();
    run.out().line(String.format(Locale.ROOT, "  %d held-out digits in %d requests: accuracy over served predictions %.4f"
        + " (the trainer measured %s)", digits.size(), requests, accuracy, run.trainedAccuracy()));
    return String.format(Locale.ROOT, "cold start %.1fs; %d held-out digits served, accuracy %.4f", coldStart, digits.size(), accuracy);
  }
}
