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

/**
 * What a placement experiment shows: {@code allocation.csv} (one row per policy, seed and arrived
 * percent; {@code allocated_pct} empty where no arrival fell near that percent), the per-policy mean
 * curve, and a table of allocation at 100 % and at the last percent arrived beside the published
 * figures.
 */
public final class AllocationReport {
  public static final String CSV_HEADER = "policy,seed,arrived_pct,allocated_pct";

  private final List<PlacementExperiment.Run> runs;
  private final String podListFile;

  public AllocationReport(List<PlacementExperiment.Run> runs, String podListFile) {
    if (runs.isEmpty()) {
      throw new IllegalArgumentException("no runs to report");
    }
    this.runs = List.copyOf(runs);
    this.podListFile = podListFile;
  }

  public int maxPercent() {
    return runs.getFirst().curve().maxPercent();
  }

  public void writeCsv(Path file) throws IOException {
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write(CSV_HEADER + "\n");
      for (PlacementExperiment.Run run : runs) {
        for (int pct = 0; pct <= run.curve().maxPercent(); pct++) {
          double v = run.curve().at(pct);
          out.write(run.policy() + "," + run.seed() + "," + pct + "," + (Double.isNaN(v) ? "" : format(v)) + "\n");
        }
      }
    }
  }

  /** Each policy's curve, the mean over its seeds (NaN where none has a value). */
  public Map<String, double[]> meanCurves() {
    Map<String, List<PlacementExperiment.Run>> byPolicy = byPolicy();
    Map<String, double[]> curves = new LinkedHashMap<>();
    byPolicy.forEach((policy, list) -> {
      double[] mean = new double[maxPercent() + 1];
      for (int pct = 0; pct < mean.length; pct++) {
        mean[pct] = mean(list, pct);
      }
      curves.put(policy, mean);
    });
    return curves;
  }

  /** The table printed after a run. */
  public String table() {
    int last = maxPercent();
    int mid = Math.min(100, last);
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%-11s %5s %9s %9s %11s %11s %9s%n", "policy", "seeds",
        "@" + mid + "%", "@" + last + "%", "paper@100%", "paper@130%", "unplaced"));
    byPolicy().forEach((policy, list) -> {
      var paper = PublishedAllocation.lookup(podListFile, policy);
      double unplaced = list.stream().mapToInt(PlacementExperiment.Run::unplaced).average().orElse(0);
      sb.append(String.format(Locale.ROOT, "%-11s %5d %9s %9s %11s %11s %9.0f%n", policy, list.size(),
          format(mean(list, mid)), format(mean(list, last)),
          paper.map(f -> format(f.at100())).orElse("-"), paper.map(f -> format(f.at130())).orElse("-"), unplaced));
    });
    return sb.toString();
  }

  private Map<String, List<PlacementExperiment.Run>> byPolicy() {
    Map<String, List<PlacementExperiment.Run>> byPolicy = new LinkedHashMap<>();
    runs.forEach(r -> byPolicy.computeIfAbsent(r.policy(), p -> new ArrayList<>()).add(r));
    return byPolicy;
  }

  private static double mean(List<PlacementExperiment.Run> runs, int pct) {
    double sum = 0;
    int n = 0;
    for (PlacementExperiment.Run r : runs) {
      double v = r.curve().at(pct);
      if (!Double.isNaN(v)) {
        sum += v;
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  static String format(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
  }
}
