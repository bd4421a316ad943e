package dev.capstan.core.placement;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The task sizes a cluster expects, each with its share of tasks: what fragmentation is measured
 * against. Built from a workload as the FGD paper does: tasks grouped by CPU, GPU count, milli-GPU
 * and GPU models (memory is not a dimension), the most frequent sizes kept until they cover 95 % of
 * the tasks, their shares then scaled to sum to one.
 */
public record TargetWorkload(List<Shape> shapes) {
  /** The share of tasks the most frequent sizes must cover. */
  public static final double COVERAGE = 0.95;

  /** One task size and the share of tasks that have it. */
  public record Shape(PodRequest size, double share) {}

  public TargetWorkload {
    shapes = List.copyOf(shapes);
    double sum = 0;
    for (Shape s : shapes) {
      if (!(s.share() > 0 && s.share() <= 1)) {
        throw new IllegalArgumentException("a task size's share must be in (0, 1], not " + s.share());
      }
      sum += s.share();
    }
    if (!shapes.isEmpty() && Math.abs(sum - 1) > 1e-6) {
      throw new IllegalArgumentException("task size shares must sum to 1, not " + sum);
    }
  }

  public static TargetWorkload of(Collection<PodRequest> tasks) {
    Map<PodRequest, Integer> counts = new LinkedHashMap<>();
    for (PodRequest t : tasks) {
      counts.merge(sizeOf(t), 1, Integer::sum);
    }
    List<Map.Entry<PodRequest, Integer>> bySize = new ArrayList<>(counts.entrySet());
    bySize.sort(Comparator.<Map.Entry<PodRequest, Integer>>comparingInt(Map.Entry::getValue)
        .thenComparing(Map.Entry::getKey, TargetWorkload::compareSizes).reversed());
    int total = tasks.size();
    List<Map.Entry<PodRequest, Integer>> kept = new ArrayList<>();
    long covered = 0;
    for (var e : bySize) {
      if (covered >= COVERAGE * total) {
        break;
      }
      kept.add(e);
      covered += e.getValue();
    }
    List<Shape> shapes = new ArrayList<>();
    for (var e : kept) {
      shapes.add(new Shape(e.getKey(), (double) e.getValue() / covered));
    }
    return new TargetWorkload(shapes);
  }

  /** A task's size: its request without memory. */
  private static PodRequest sizeOf(PodRequest t) {
    return new PodRequest(t.cpuMilli(), 0, t.gpuCount(), t.gpuMilli(), t.gpuModels());
  }

  private static int compareSizes(PodRequest a, PodRequest b) {
    return Comparator.comparingLong(PodRequest::cpuMilli)
        .thenComparingInt(PodRequest::gpuMilli)
        .thenComparingInt(PodRequest::gpuCount)
        .thenComparing(p -> String.join("|", new TreeSet<>(p.gpuModels())))
        .compare(a, b);
  }

  /** The distinct GPU models the sizes name, for callers that index models. */
  public Set<String> namedModels() {
    Set<String> models = new TreeSet<>();
    shapes.forEach(s -> models.addAll(s.size().gpuModels()));
    return models;
  }
}
