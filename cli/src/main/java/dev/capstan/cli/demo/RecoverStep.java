package dev.capstan.cli.demo;

import dev.capstan.api.codec.Kinds;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * Step 2: kills one worker's trainer mid-training (SIGKILL, as a crash), then shows what the
 * control plane does about it: the whole gang restarts, rank 0 resumes from its newest checkpoint,
 * and the job runs to its last step. Reports the restarts, the steps done twice and the time lost
 * until the training was back where it had been, and the held-out accuracy it ends with.
 */
final class RecoverStep implements DemoStep {
  private static final String VICTIM_ROLE = "worker";
  private static final int VICTIM_INDEX = 1;

  @Override
  public String name() {
    return "kill a worker, resume";
  }

  @Override
  public String title() {
    return "kill worker-1 mid-training: the gang restarts and resumes from the checkpoint";
  }

  @Override
  public String run(DemoRun run) throws Exception {
    TrainingProgress progress = run.training();
    long pid = ReplicaSignals.kill(run.namespace(), DemoRun.JOB, VICTIM_ROLE, VICTIM_INDEX)
        .orElseThrow(() -> new IllegalStateException("no running trainer of worker-1 was found to kill"));
    long killedAt = System.nanoTime();
    run.out().line("  killed worker-1's trainer (pid " + pid + ", SIGKILL)");
    progress.watchUntil(s -> s.restarts() >= 1);
    run.out().line("  the control plane saw it: whole gang restarting (restart 1)");
    ResumeLog[] resume = new ResumeLog[1];
    progress.watchUntil(s -> {
      resume[0] = rankZeroLog(run).flatMap(ResumeLog::parse).orElse(null);
      return resume[0] != null && resume[0].caughtUp() || s.state().equals("Succeeded");
    });
    double lost = TrainingProgress.seconds(System.nanoTime() - killedAt);
    if (resume[0] == null) {
      throw new IllegalStateException("rank 0 never said which checkpoint it resumed from (see capstan logs trainingjob/"
          + DemoRun.JOB + " -n " + run.namespace() + ")");
    }
    run.out().line(String.format(Locale.ROOT, "  resumed at step %d from its checkpoint: %d steps done twice, %.1fs lost",
        resume[0].resumedAt(), resume[0].stepsLost(), lost));
    TrainingProgress.Snapshot done = progress.watchUntil(s -> s.state().equals("Succeeded"));
    String accuracy = done.job().path("status").path("metrics").path("eval_accuracy").asText("-");
    run.trainedAccuracy(accuracy);
    run.out().line("  trainingjob " + run.namespace() + "/" + DemoRun.JOB + " Succeeded: held-out accuracy " + accuracy);
    return String.format(Locale.ROOT, "restarts %d (whole gang), resumed at step %d: %d steps and %.1fs lost; "
        + "step %d/%d, held-out accuracy %s", done.restarts(), resume[0].resumedAt(), resume[0].stepsLost(), lost,
        done.step(), progress.training().steps(), accuracy);
  }

  private static Optional<String> rankZeroLog(DemoRun run) {
    try (InputStream in = run.client().logs(Kinds.TRAINING_JOB, run.namespace(), DemoRun.JOB, "follow=false&replica=master-0")) {
      return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
