package dev.capstan.cli.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Replicas over time while the demo loads the service: samples of ready and wanted replicas and
 * the request rate, drawn live (on a terminal, sparklines redrawn in place; elsewhere a plain line
 * whenever the replicas change) and, at the end, as a small bar chart of ready replicas in plain
 * characters. Every line stays under 80 columns.
 */
final class ReplicaChart {
  private static final String SPARKS = "▁▂▃▄▅▆▇█";
  private static final int WIDTH = 50;

  /** One look: seconds since the chart began, replicas ready and wanted, the request rate since the last look, and whether load ran. */
  record Sample(double seconds, int ready, int wanted, double rate, boolean loaded) {}

  private final DemoOutput out;
  private final int maxReplicas;
  private final List<Sample> samples = new ArrayList<>();
  private String lastPlain = "";

  ReplicaChart(DemoOutput out, int maxReplicas) {
    this.out = out;
    this.maxReplicas = Math.max(1, maxReplicas);
  }

  void add(Sample s) {
    samples.add(s);
    if (out.terminal()) {
      List<Sample> shown = samples.subList(Math.max(0, samples.size() - WIDTH), samples.size());
      double topRate = shown.stream().mapToDouble(Sample::rate).max().orElse(0);
      StringBuilder replicas = new StringBuilder();
      StringBuilder rates = new StringBuilder();
      for (Sample x : shown) {
        replicas.append(spark(x.ready(), maxReplicas));
        rates.append(spark(x.rate(), topRate));
      }
      out.live(String.format(Locale.ROOT, "  replicas %-" + WIDTH + "s %d/%d", replicas, s.ready(), s.wanted()),
          String.format(Locale.ROOT, "  req/s    %-" + WIDTH + "s %.0f", rates, s.rate()),
          String.format(Locale.ROOT, "  %.1fs  %s", s.seconds(), s.loaded() ? "load on" : "load off"));
      return;
    }
    String plain = s.ready() + "/" + s.wanted() + (s.loaded() ? " load" : "");
    if (!plain.equals(lastPlain)) {
      out.line(String.format(Locale.ROOT, "  %5.1fs  replicas %d ready, %d wanted  %s", s.seconds(), s.ready(), s.wanted(),
          s.loaded() ? String.format(Locale.ROOT, "%5.0f req/s", s.rate()) : "(load stopped)"));
      lastPlain = plain;
    }
  }

  int peakReady() {
    return samples.stream().mapToInt(Sample::ready).max().orElse(0);
  }

  int peakWanted() {
    return samples.stream().mapToInt(Sample::wanted).max().orElse(0);
  }

  /** The bar chart of ready replicas over the whole time, one column per slice of it, the load marked under the axis. */
  List<String> bars() {
    if (samples.isEmpty()) {
      return List.of();
    }
    int columns = Math.min(WIDTH, samples.size());
    int[] ready = new int[columns];
    boolean[] loaded = new boolean[columns];
    for (int i = 0; i < samples.size(); i++) {
      int c = (int) ((long) i * columns / samples.size());
      ready[c] = Math.max(ready[c], samples.get(i).ready());
      loaded[c] |= samples.get(i).loaded();
    }
    int top = Math.max(maxReplicas, peakReady());
    List<String> lines = new ArrayList<>();
    for (int level = top; level >= 1; level--) {
      StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "  %s %2d |", level == top ? "replicas" : "        ", level));
      for (int r : ready) {
        row.append(r >= level ? '#' : ' ');
      }
      lines.add(row.toString().stripTrailing());
    }
    StringBuilder load = new StringBuilder("    load    |");
    for (boolean l : loaded) {
      load.append(l ? '=' : ' ');
    }
    lines.add("             +" + "-".repeat(columns) + String.format(Locale.ROOT, " %.0fs", samples.getLast().seconds()));
    lines.add(load.toString().stripTrailing());
    return lines;
  }

  private static char spark(double value, double top) {
    if (top <= 0 || value <= 0) {
      return ' ';
    }
    int at = (int) Math.ceil(value / top * SPARKS.length()) - 1;
    return SPARKS.charAt(Math.max(0, Math.min(SPARKS.length() - 1, at)));
  }
}
