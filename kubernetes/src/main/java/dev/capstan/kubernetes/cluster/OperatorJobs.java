package dev.capstan.kubernetes.cluster;

import dev.capstan.api.training.TrainingJob;
import dev.capstan.api.training.TrainingJobStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Every job one operator runs, across the kinds it reconciles (TrainingJobs and Kubeflow's kinds),
 * as the scheduling cycle must see them: a gang is admitted against the quota and capacity all of
 * them hold. Each reconciler registers its own kind's jobs, read from its informer cache, and how
 * the cycle's decision is written on one of them.
 */
public final class OperatorJobs {
  /** Writes a job's status with the cycle's decision in it (the whole status, as its kind stores it). */
  @FunctionalInterface
  public interface AdmissionWriter {
    void write(TrainingJob job, TrainingJobStatus status);
  }

  private record Kind(Supplier<List<TrainingJob>> jobs, AdmissionWriter writer) {}

  private final Map<String, Kind> byKind = new ConcurrentHashMap<>();

  /** The jobs of {@code kind}, as TrainingJobs; registering a kind again replaces its source. */
  public void register(String kind, Supplier<List<TrainingJob>> jobs, AdmissionWriter writer) {
    byKind.put(kind, new Kind(jobs, writer));
  }

  public List<TrainingJob> all() {
    List<TrainingJob> all = new ArrayList<>();
    byKind.values().forEach(kind -> all.addAll(kind.jobs().get()));
    return all;
  }

  /** Writes {@code status} on {@code job} as its kind does; a kind no longer registered is skipped. */
  public void write(TrainingJob job, TrainingJobStatus status) {
    Kind kind = byKind.get(job.getKind());
    if (kind != null) {
      kind.writer().write(job, status);
    }
  }
}
