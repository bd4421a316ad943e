package dev.capstan.kubernetes.cluster;

import dev.capstan.api.training.TrainingJob;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Every job one operator runs, across the kinds it reconciles (TrainingJobs and Kubeflow's kinds),
 * as admission must see them: a gang is admitted against the capacity all of them hold. Each
 * reconciler registers its own kind's jobs, read from its informer cache.
 */
public final class OperatorJobs {
  private final Map<String, Supplier<List<TrainingJob>>> byKind = new ConcurrentHashMap<>();

  /** The jobs of {@code kind}, as TrainingJobs; registering a kind again replaces its source. */
  public void register(String kind, Supplier<List<TrainingJob>> jobs) {
    byKind.put(kind, jobs);
  }

  public List<TrainingJob> all() {
    List<TrainingJob> all = new ArrayList<>();
    byKind.values().forEach(jobs -> all.addAll(jobs.get()));
    return all;
  }
}
