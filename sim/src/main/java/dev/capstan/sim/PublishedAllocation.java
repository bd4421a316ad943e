package dev.capstan.sim;

import java.util.Map;
import java.util.Optional;

/**
 * The FGD paper's own figures (mean of 10 seeds, allocated GPU % at 100 % and 130 % of GPU capacity
 * arrived), by pod list and policy, to print beside a run's: "Beware of Fragmentation" (USENIX ATC
 * 2023) on the Alibaba GPU 2023 trace.
 */
public final class PublishedAllocation {
  /** Allocated GPU % at 100 % and at 130 % arrived. */
  public record Figures(double at100, double at130) {}

  private static final Map<String, Map<String, Figures>> BY_TRACE = Map.of(
      "openb_pod_list_default", Map.of(
          "random", new Figures(86.30, 87.47),
          "dotprod", new Figures(90.62, 90.85),
          "clustering", new Figures(91.65, 91.88),
          "packing", new Figures(91.78, 92.00),
          "bestfit", new Figures(92.86, 93.08),
          "fgd", new Figures(95.23, 95.39)),
      "openb_pod_list_gpushare40", Map.of(
          "fgd", new Figures(93.96, 94.15),
          "bestfit", new Figures(91.44, 91.69)),
      "openb_pod_list_multigpu50", Map.of(
          "fgd", new Figures(97.09, 97.18),
          "packing", new Figures(96.06, 96.18)));

  private PublishedAllocation() {}

  /** The figures for a pod list (named by its file, e.g. {@code openb_pod_list_default.csv}) and policy. */
  public static Optional<Figures> lookup(String podListFile, String policy) {
    String trace = podListFile.endsWith(".csv") ? podListFile.substring(0, podListFile.length() - 4) : podListFile;
    return Optional.ofNullable(BY_TRACE.getOrDefault(trace, Map.of()).get(policy));
  }
}
