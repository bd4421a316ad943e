package dev.capstan.sim;

import dev.capstan.core.placement.PodRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The arrival sequence of the FGD experiment, as the authors' simulator builds it
 * ({@code TunePodsByNodeTotalResource}): the trace's tasks in random order, then copies of tasks
 * drawn uniformly at random, appended until the next copy would take the requested GPUs past
 * {@code ratio} times the cluster's GPU capacity. A trace that already asks for more loses tasks
 * drawn at random until it fits.
 */
public final class WorkloadInflation {
  /** The largest inflation ratio accepted. */
  public static final double MAX_RATIO = 5.0;

  private WorkloadInflation() {}

  public static List<PodRequest> arrivals(List<TracePod> trace, long clusterGpuMilli, double ratio, RandomGenerator random) {
    if (!(ratio > 0 && ratio <= MAX_RATIO)) {
      throw new IllegalArgumentException("ratio must be in (0, " + MAX_RATIO + "], not " + ratio);
    }
    List<TracePod> byName = new ArrayList<>(trace);
    byName.sort(Comparator.comparing(TracePod::name));
    List<PodRequest> arrivals = new ArrayList<>(byName.size());
    byName.forEach(p -> arrivals.add(p.request()));
    shuffle(arrivals, random);
    double target = ratio * clusterGpuMilli;
    long requested = arrivals.stream().mapToLong(PodRequest::totalGpuMilli).sum();
    while (requested > target && !arrivals.isEmpty()) {
      requested -= arrivals.remove(random.nextInt(arrivals.size())).totalGpuMilli();
    }
    if (byName.stream().allMatch(p -> p.request().totalGpuMilli() == 0)) {
      return arrivals;
    }
    while (true) {
      PodRequest copy = byName.get(random.nextInt(byName.size())).request();
      if (requested + copy.totalGpuMilli() > target) {
        return arrivals;
      }
      requested += copy.totalGpuMilli();
      arrivals.add(copy);
    }
  }

  private static void shuffle(List<PodRequest> list, RandomGenerator random) {
    for (int i = list.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      list.set(i, list.set(j, list.get(i)));
    }
  }
}
