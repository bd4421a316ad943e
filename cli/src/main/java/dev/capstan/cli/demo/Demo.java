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
  /** The steps, in the order the demo tells its story; a step whose parts do not exist yet says so. */
  static List<DemoStep> steps() {
    return List.of(
        new TrainStep(),
        new RecoverStep(),
        new RegisterStep(),
        new ComingStep("serve from zero", "serve it as an InferenceService with minReplicas 0 through the gateway",
            "InferenceService and the gateway (the first request would scale from zero; cold start and served accuracy)"),
        new ComingStep("load burst", "a burst of load: replicas scale up and back down",
            "the gateway's autoscaler (replicas over time, request rate, p50/p99)"),
        new ComingStep("canary, promote", "train a second version, send it 20 % as a canary, then promote it",
            "InferenceService canaries (the traffic split, and that no request failed)"));
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
        String time = ComingStep.isComing(step) ? "-" : TrainingProgress.took(Duration.ofNanos(System.nanoTime() - stepStarted));
        rows.add(new Row(number, step.name(), time, result));
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
    run.out().line(String.format(Locale.ROOT, "  total %s; requests served 0 and failed 0 (the serving steps are coming)",
        TrainingProgress.took(total)));
  }

  /** What to look at next, with the commands that show it. */
  public void tryNext(boolean kept) {
    String n = " -n " + run.namespace();
    run.out().line("");
    run.out().line("try next" + (kept ? " (--keep: the job and the model are still there)" : " (run with --keep to keep what the demo made)") + ":");
    run.out().line("  ./capstan get trainingjobs" + n + " -o wide");
    run.out().line("  ./capstan describe trainingjob " + DemoRun.JOB + n);
    run.out().line("  ./capstan logs trainingjob/" + DemoRun.JOB + n + " --all");
    run.out().line("  ./capstan models describe " + DemoRun.MODEL + n);
    run.out().line("  ./capstan run -f " + DemoJob.FILE + "      # the YAML the demo used (examples/demo/)");
  }

  /** Removes what a demo made in its namespace: the job (waiting until its replicas are gone), the model, the work directory. */
  public void cleanUp() throws InterruptedException {
    if (run.client().delete(Kinds.TRAINING_JOB, run.namespace(), DemoRun.JOB)) {
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      while (run.client().get(Kinds.TRAINING_JOB, run.namespace(), DemoRun.JOB).isPresent()) {
        if (System.nanoTime() > deadline) {
          throw new CliErrors.UserError("trainingjob " + run.namespace() + "/" + DemoRun.JOB + " was not removed within 2 minutes");
        }
        Thread.sleep(run.poll());
      }
    }
    if (run.client().get(Kinds.MODEL, run.namespace(), DemoRun.MODEL).isPresent()) {
      run.client().registry("DELETE", run.namespace(), "models/" + DemoRun.MODEL, null);
    }
    deleteTree(run.workDir());
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
