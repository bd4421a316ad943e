package dev.capstan.cli.demo;

import dev.capstan.api.codec.Kinds;
import dev.capstan.cli.CliErrors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code capstan demo}: the steps in order, each with a heading and live output, then a summary
 * table and what to try next. Before it starts it removes what an earlier demo left in its
 * namespace (so it runs twice in a row); after it ends, unless kept, it removes what it made, so no
 * replica process is left. It stops at the first step that fails and reports failure.
 */
public final class Demo {
  /** The steps, in the order the demo tells its story. */
  static List<DemoStep> steps() {
    return List.of(new TrainStep(), new RecoverStep(), new RegisterStep(), new ServeStep(), new LoadBurstStep(), new CanaryStep());
  }

  /** One row of the summary. */
  private record Row(int number, String name, String time, String result) {}

  private final DemoRun run;
  private final List<DemoStep> steps;

  public Demo(DemoRun run) {
    this(run, steps());
  }

  Demo(DemoRun run, List<DemoStep> steps) {
    this.run = run;
    this.steps = steps;
  }

  /** Runs every step; true when none failed. */
  public boolean run() {
    List<Row> rows = new ArrayList<>();
    long started = System.nanoTime();
    boolean failed = false;
    for (int i = 0; i < steps.size(); i++) {
      DemoStep step = steps.get(i);
      int number = i + 1;
      if (failed) {
        rows.add(new Row(number, step.name(), "-", "not run: an earlier step failed"));
        continue;
      }
      run.out().line("");
      run.out().line("[" + number + "/" + steps.size() + "] " + step.title());
      long stepStarted = System.nanoTime();
      try {
        String result = step.run(run);
        rows.add(new Row(number, step.name(), TrainingProgress.took(Duration.ofNanos(System.nanoTime() - stepStarted)), result));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        rows.add(new Row(number, step.name(), "-", "FAILED: interrupted"));
        failed = true;
      } catch (Exception e) {
        run.out().line("  FAILED: " + e.getMessage());
        rows.add(new Row(number, step.name(), TrainingProgress.took(Duration.ofNanos(System.nanoTime() - stepStarted)),
            "FAILED: " + e.getMessage()));
        failed = true;
      }
    }
    summary(rows, Duration.ofNanos(System.nanoTime() - started), failed);
    return !failed;
  }

  private void summary(List<Row> rows, Duration total, boolean failed) {
    run.out().line("");
    run.out().line("summary" + (failed ? " (a step FAILED)" : ""));
    int nameWidth = rows.stream().mapToInt(r -> r.name().length()).max().orElse(4);
    String format = "  %-2s %-" + nameWidth + "s  %7s  %s";
    run.out().line(String.format(Locale.ROOT, format, "#", "step", "time", "result"));
    for (Row r : rows) {
      run.out().line(String.format(Locale.ROOT, format, r.number(), r.name(), r.time(), r.result()));
    }
    run.out().line(String.format(Locale.ROOT, "  total %s; requests %d, failed %d", TrainingProgress.took(total),
        run.requests(), run.failedRequests()));
  }

  /** What to look at next, with the commands that show it. */
  public void tryNext(boolean kept) {
    String n = " -n " + run.namespace();
    run.out().line("");
    run.out().line("try next" + (kept ? " (--keep: the jobs, the model and the service are still there)" : " (run with --keep to keep what the demo made)") + ":");
    run.out().line("  ./capstan get trainingjobs" + n + " -o wide");
    run.out().line("  ./capstan describe trainingjob " + DemoRun.JOB + n);
    run.out().line("  ./capstan logs trainingjob/" + DemoRun.JOB + n + " --all");
    run.out().line("  ./capstan models describe " + DemoRun.MODEL + n + "   (versions, the alias and its moves)");
    run.out().line("  ./capstan describe isvc " + ServeStep.SERVICE + n + "   (revisions, traffic, events)");
    run.out().line("  ./capstan predict " + ServeStep.SERVICE + n + " -f FILE");
    if (kept && run.serviceUrl() != null) {
      run.out().line("  curl " + run.serviceUrl() + "/v2/models/" + ServeStep.SERVICE + "; the gateway's counts: curl "
          + run.serviceUrl().substring(0, Math.max(0, run.serviceUrl().indexOf("/serving/"))) + "/metrics");
    }
    run.out().line("  the YAML the demo used: " + DemoJob.FILE + ", " + ServeStep.FILE);
  }

  /**
   * Removes what a demo made in its namespace: the service and the jobs (waiting until their
   * replicas are gone), the model, the work directory.
   */
  public void cleanUp() throws InterruptedException {
    deleteAndAwait(Kinds.INFERENCE_SERVICE, ServeStep.SERVICE);
    deleteAndAwait(Kinds.TRAINING_JOB, DemoRun.JOB);
    deleteAndAwait(Kinds.TRAINING_JOB, DemoTraining.second(run).job());
    if (run.client().get(Kinds.MODEL, run.namespace(), DemoRun.MODEL).isPresent()) {
      run.client().registry("DELETE", run.namespace(), "models/" + DemoRun.MODEL, null);
    }
    deleteTree(run.workDir());
  }

  /** Deletes the object and waits until it is gone, which for a job or a service means its processes are. */
  private void deleteAndAwait(Kinds.KindInfo kind, String name) throws InterruptedException {
    if (!run.client().delete(kind, run.namespace(), name)) {
      return;
    }
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (run.client().get(kind, run.namespace(), name).isPresent()) {
      if (System.nanoTime() > deadline) {
        throw new CliErrors.UserError(kind.singular() + " " + run.namespace() + "/" + name + " was not removed within 2 minutes");
      }
      Thread.sleep(run.poll());
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the demo's work directory " + dir, e);
    }
  }

  /** The repository root (where examples/demo lies): {@code capstan.root}, else found above this code. */
  public static Path root() {
    String property = System.getProperty("capstan.root");
    if (property != null && Files.exists(Path.of(property).resolve(DemoJob.FILE))) {
      return Path.of(property);
    }
    try {
      Path p = Path.of(Demo.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
      for (; p != null; p = p.getParent()) {
        if (Files.exists(p.resolve(DemoJob.FILE))) {
          return p;
        }
      }
    } catch (java.net.URISyntaxException | SecurityException e) {
      // fall through
    }
    throw new CliErrors.UserError("cannot find " + DemoJob.FILE + " (run the demo from a Capstan checkout: ./capstan demo)");
  }
}
