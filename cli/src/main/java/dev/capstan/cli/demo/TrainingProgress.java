package dev.capstan.cli.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.api.codec.Kinds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;

/**
 * Watches the demo's TrainingJob through the control plane (its status and its replicas) and draws
 * the live view: a progress bar with step, loss and accuracy, and each replica's state and
 * attempt. On a terminal the view is redrawn in place; elsewhere a line is printed whenever the
 * replicas change or another tenth of the steps is done.
 */
final class TrainingProgress {
  /** One look at the job. */
  record Snapshot(String state, int step, String loss, String accuracy, int restarts, List<Replica> replicas,
      JsonNode job) {
    boolean finished() {
      return state.equals("Succeeded") || state.equals("Failed");
    }

    /** Whether every one of the job's replicas runs, all at this attempt. */
    boolean allRunning(int count, int attempt) {
      return replicas.size() == count && replicas.stream().allMatch(r -> r.phase().equals("Running") && r.attempt() == attempt);
    }
  }

  /** One replica as the control plane reports it. */
  record Replica(String name, String phase, int attempt) {
    @Override
    public String toString() {
      return name + " " + phase + " (attempt " + attempt + ")";
    }
  }

  private final DemoRun run;
  private final DemoTraining training;
  private final long startedNanos = System.nanoTime();
  private String lastPlain = "";
  private int lastTenth = -1;

  TrainingProgress(DemoRun run, DemoTraining training) {
    this.run = run;
    this.training = training;
  }

  DemoTraining training() {
    return training;
  }

  long startedNanos() {
    return startedNanos;
  }

  Snapshot look() {
    JsonNode job = run.client().get(Kinds.TRAINING_JOB, run.namespace(), training.job())
        .orElseThrow(() -> new IllegalStateException("trainingjob " + run.namespace() + "/" + training.job() + " disappeared"));
    JsonNode status = job.path("status");
    JsonNode metrics = status.path("metrics");
    List<Replica> replicas = new ArrayList<>();
    for (JsonNode r : run.client().replicas(run.namespace(), training.job()).path("items")) {
      replicas.add(new Replica(r.path("name").asText(), r.path("phase").asText(), r.path("attempt").asInt()));
    }
    return new Snapshot(job.path("metadata").has("deletionTimestamp") ? "Terminating" : status.path("state").asText("Created"),
        metrics.path("step").asInt(0), metrics.path("loss").asText("-"), metrics.path("accuracy").asText("-"),
        status.path("restartCount").asInt(0), replicas, job);
  }

  /**
   * Draws the view until {@code done} holds for a snapshot, which it returns. Fails if the job
   * fails (unless {@code done} accepts that) or the step's deadline passes.
   */
  Snapshot watchUntil(Predicate<Snapshot> done) throws InterruptedException {
    long deadline = System.nanoTime() + run.stepDeadline().toNanos();
    while (true) {
      Snapshot s = look();
      draw(s);
      if (done.test(s)) {
        return s;
      }
      if (s.finished()) {
        throw new IllegalStateException("trainingjob " + run.namespace() + "/" + training.job() + " " + s.state() + ": "
            + s.job().path("status").path("message").asText());
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("trainingjob " + run.namespace() + "/" + training.job() + " is still " + s.state()
            + " after " + run.stepDeadline().toMinutes() + " minutes");
      }
      Thread.sleep(run.poll());
    }
  }

  private void draw(Snapshot s) {
    int percent = Math.min(100, s.step() * 100 / training.steps());
    String figures = String.format(Locale.ROOT, "step %d/%d  loss %s  accuracy %s  restarts %d  %s", s.step(),
        training.steps(), s.loss(), s.accuracy(), s.restarts(), s.state());
    String workers = String.join(" | ", s.replicas().stream().map(Replica::toString).toList());
    if (run.out().terminal()) {
      // Each line stays under 80 columns: a wrapped line would break the redraw in place.
      int attempt = s.replicas().stream().mapToInt(Replica::attempt).max().orElse(0);
      run.out().live(String.format(Locale.ROOT, "  [%-20s] %3d%%  step %d/%d  loss %s  acc %s  restarts %d",
              "#".repeat(percent * 20 / 100), percent, s.step(), training.steps(), s.loss(), s.accuracy(), s.restarts()),
          String.format(Locale.ROOT, "  %s: %s (attempt %d)", s.state(),
              String.join(", ", s.replicas().stream().map(r -> r.name() + " " + r.phase()).toList()), attempt),
          String.format(Locale.ROOT, "  %.1fs", seconds(System.nanoTime() - startedNanos)));
      return;
    }
    int tenth = percent / 10;
    String plain = "  " + workers + "  " + s.state();
    if (tenth != lastTenth || !plain.equals(lastPlain)) {
      run.out().line(String.format(Locale.ROOT, "  %3d%%  %s  |  %s", percent, figures, workers));
      lastTenth = tenth;
      lastPlain = plain;
    }
  }

  static double seconds(long nanos) {
    return nanos / 1e9;
  }

  static String took(Duration d) {
    return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
  }
}
