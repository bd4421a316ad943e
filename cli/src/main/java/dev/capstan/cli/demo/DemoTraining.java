package dev.capstan.cli.demo;

import java.nio.file.Path;

/**
 * One training the demo runs from examples/demo/training.yaml: the TrainingJob's name, its steps,
 * how many workers beside the master, and where its checkpoints and model go (under the demo's
 * work directory).
 *
 * @param job the TrainingJob's name
 * @param steps the steps it trains
 * @param workers workers beside the master (0: the master alone)
 * @param checkpoints its checkpoint directory
 * @param model where the trainer writes the model
 */
record DemoTraining(String job, int steps, int workers, Path checkpoints, Path model) {
  /** The first version: the file's gang of 1 master and 2 workers; fast, half the steps (the story is the same, the waits shorter). */
  static DemoTraining first(DemoRun run) {
    return new DemoTraining(DemoRun.JOB, run.fast() ? 160 : 300, 2, run.workDir().resolve("checkpoints"),
        run.workDir().resolve("model"));
  }

  /** The second version, for the canary: the same trainer on the master alone, a shorter run. */
  static DemoTraining second(DemoRun run) {
    return new DemoTraining(DemoRun.JOB + "-v2", run.fast() ? 60 : 200, 0, run.workDir().resolve("checkpoints-v2"),
        run.workDir().resolve("model-v2"));
  }

  int replicas() {
    return 1 + workers;
  }
}
