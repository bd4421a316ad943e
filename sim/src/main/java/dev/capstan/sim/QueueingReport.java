package dev.capstan.sim;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * What a queueing experiment shows: {@code jobs.csv} (a row per policy, seed and job),
 * {@code summary.csv} (a row per policy and seed) and a table of each policy's mean over its seeds.
 * Times are in seconds.
 */
public final class QueueingReport {
  public static final String JOBS_HEADER = "policy,seed,job,arrival,gpus,duration,start,finish,jct,queued,preemptions";
  public static final String SUMMARY_HEADER =
      "policy,seed,jobs,avg_jct,median_jct,p99_jct,avg_queued,median_queued,gpu_utilisation_pct,preemptions,cycles,unfinished";

  private final List<QueueingRun> runs;

  public QueueingReport(List<QueueingRun> runs) {
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("no runs to report");
    }
    this.runs = List.copyOf(runs);
  }

  public void writeJobsCsv(Path file) throws IOException {
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write(JOBS_HEADER + "\n");
      for (QueueingRun run : runs) {
        for (QueueingRun.Outcome o : run.jobs()) {
          out.write(run.policy() + "," + run.seed() + "," + o.id() + "," + o.arrival() + "," + o.gpus() + "," + o.duration() + ","
              + whole(o.firstStart()) + "," + whole(o.finish()) + "," + whole(o.jct()) + "," + whole(o.queued()) + ","
              + o.preemptions() + "\n");
        }
      }
    }
  }

  public void writeSummaryCsv(Path file) throws IOException {
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write(SUMMARY_HEADER + "\n");
      for (QueueingRun run : runs) {
        QueueingRun.Summary s = run.summary();
        out.write(String.format(Locale.ROOT, "%s,%d,%d,%.1f,%.1f,%.1f,%.1f,%.1f,%.2f,%d,%d,%d%n", run.policy(), run.seed(),
            run.jobs().size(), s.averageJct(), s.medianJct(), s.p99Jct(), s.averageQueued(), s.medianQueued(),
            100 * run.utilisation(), run.preemptions(), run.cycles(), s.unfinished()));
      }
    }
  }

  /**
   * Each policy's sorted JCTs over all its seeds, for the CDF chart; a job left unfinished counts as
   * finishing when its replay stopped, as in the table, so the curve is a bound (no higher than the
   * true one), never one over the finished jobs alone, which would reach 100 % without the slowest.
   */
  public Map<String, double[]> jcts() {
    Map<String, double[]> out = new LinkedHashMap<>();
    byPolicy().forEach((policy, list) -> out.put(policy,
        list.stream().flatMapToDouble(r -> r.jobs().stream().mapToDouble(r::jctAtLeast)).sorted().toArray()));
    return out;
  }

  /**
   * The table printed after a run: per policy, the mean over its seeds; where jobs were left
   * unfinished, the times are lower bounds, marked {@code >=}.
   */
  public String table() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-8s %5s %10s %10s %10s %11s %11s %7s %11s %10s%n", "policy", "seeds", "avg JCT",
        "median JCT", "p99 JCT", "avg queued", "med queued", "GPU %", "preemptions", "unfinished"));
    byPolicy().forEach((policy, list) -> {
      String bound = list.stream().anyMatch(r -> r.summary().unfinished() > 0) ? ">=" : "";
      sb.append(String.format(Locale.ROOT, "%-8s %5d %10s %10s %10s %11s %11s %7.1f %11.0f %10.0f%n",
          policy, list.size(), bound + duration(mean(list, r -> r.summary().averageJct())),
          bound + duration(mean(list, r -> r.summary().medianJct())), bound + duration(mean(list, r -> r.summary().p99Jct())),
          bound + duration(mean(list, r -> r.summary().averageQueued())), bound + duration(mean(list, r -> r.summary().medianQueued())),
          100 * mean(list, QueueingRun::utilisation), mean(list, QueueingRun::preemptions),
          mean(list, r -> r.summary().unfinished())));
    });
    return sb.toString();
  }

  private Map<String, List<QueueingRun>> byPolicy() {
    Map<String, List<QueueingRun>> byPolicy = new LinkedHashMap<>();
    runs.forEach(r -> byPolicy.computeIfAbsent(r.policy(), p -> new ArrayList<>()).add(r));
    return byPolicy;
  }

  private static double mean(List<QueueingRun> runs, ToDoubleFunction<QueueingRun> f) {
    return runs.stream().mapToDouble(f).average().orElse(Double.NaN);
  }

  /** Seconds as people read them: {@code 950s}, {@code 3.2h}. */
  static String duration(double seconds) {
    if (seconds < 10_000) {
      return String.format(Locale.ROOT, "%.0fs", seconds);
    }
    return String.format(Locale.ROOT, "%.1fh", seconds / 3600);
  }

  private static String whole(double v) {
    return Double.isNaN(v) ? "" : String.valueOf(Math.round(v));
  }
}
