package dev.capstan.cli.demo;

import dev.capstan.cli.ManifestFiles;
import java.util.Locale;

/**
 * Step 1: applies examples/demo/training.yaml (a TrainingJob of 1 master and 2 workers of the Java
 * trainer) and shows the training live until it is well under way, with every replica running.
 */
final class TrainStep implements DemoStep {
  /** Where the next step kills a worker: past a few checkpoints, well before the end. */
  static int killAfterStep(DemoTraining training) {
    return training.steps() * 3 / 8;
  }

  @Override
  public String name() {
    return "train, 3 workers";
  }

  @Override
  public String title() {
    return "train the digits classifier with 3 data-parallel Java workers (a TrainingJob)";
  }

  @Override
  public String run(DemoRun run) throws Exception {
    DemoTraining training = DemoTraining.first(run);
    ManifestFiles.Manifest m = DemoJob.manifest(run, training);
    run.out().line("  applying " + DemoJob.FILE + " as trainingjob " + run.namespace() + "/" + m.name()
        + " (1 master + 2 workers, " + training.steps() + " steps, checkpoint every 20)");
    run.client().apply(m.kind(), m.namespace(), m.name(), m.doc());
    TrainingProgress progress = new TrainingProgress(run, training);
    run.training(progress);
    TrainingProgress.Snapshot s = progress.watchUntil(t -> t.step() >= killAfterStep(training) && t.allRunning(3, 0));
    return String.format(Locale.ROOT, "3 replicas running; step %d of %d, loss %s", s.step(), training.steps(), s.loss());
  }
}
