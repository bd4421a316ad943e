package dev.capstan.core.training;

import dev.capstan.api.training.ReplicaId;
import dev.capstan.api.training.TrainingJob;
import dev.capstan.api.training.TrainingJobModel;
import dev.capstan.core.training.env.ClusterAddressing;
import dev.capstan.core.training.env.ReplicaAddressing;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Replicas held in maps per job, for tests: a Start makes the replica Running at its attempt
 * (replacing an older attempt), a Stop forgets it; tests make replicas exit with {@link #exit}.
 * The helpers without a job name act on the only job that has replicas.
 */
final class TestingReplicaBackend implements ReplicaBackend {
  private final Map<String, Map<ReplicaId, ReplicaObservation>> jobs = new LinkedHashMap<>();
  private final List<ReplicaAction> applied = new ArrayList<>();
  private final Map<String, Supplier<Throwable>> failures = new HashMap<>();
  private final Map<String, Integer> applyCalls = new HashMap<>();
  private Map<String, String> metrics = Map.of();

  @Override
  public Observed observe(TrainingJob job) {
    return Observed.of(of(job.getMetadata().getName()).values()).withMetrics(metrics);
  }

  @Override
  public ReplicaAddressing addressing(TrainingJobModel job) {
    return new ClusterAddressing(job);
  }

  @Override
  public void apply(TrainingJob job, List<ReplicaAction> actions) {
    String name = job.getMetadata().getName();
    applyCalls.merge(name, 1, Integer::sum);
    if (failures.containsKey(name)) {
      Throwable failure = failures.get(name).get();
      if (failure instanceof Error e) {
        throw e;
      }
      throw (RuntimeException) failure;
    }
    applied.addAll(actions);
    Map<ReplicaId, ReplicaObservation> replicas = of(job.getMetadata().getName());
    for (ReplicaAction action : actions) {
      switch (action) {
        case ReplicaAction.Start s -> replicas.put(s.launch().id(), ReplicaObservation.running(s.launch().id(), s.launch().attempt()));
        case ReplicaAction.Stop s -> replicas.remove(s.id());
      }
    }
  }

  /** Every apply for this job throws what {@code failure} gives: an Error or a RuntimeException. */
  void failApplyFor(String job, Supplier<Throwable> failure) {
    failures.put(job, failure);
  }

  void stopFailing(String job) {
    failures.remove(job);
  }

  /** How often apply was called for this job, failed or not. */
  int applyCalls(String job) {
    return applyCalls.getOrDefault(job, 0);
  }

  /** The replica ({@code worker-1}) exits with this code, at the attempt it runs. */
  void exit(String replica, int code) {
    ReplicaObservation o = get(replica);
    replicas().put(o.id(), ReplicaObservation.exited(o.id(), code, o.attempt()));
  }

  void pending(String replica) {
    ReplicaObservation o = get(replica);
    replicas().put(o.id(), ReplicaObservation.pending(o.id(), o.attempt()));
  }

  void metrics(Map<String, String> latest) {
    metrics = latest;
  }

  ReplicaObservation get(String replica) {
    ReplicaObservation o = replicas().get(ReplicaId.parseShort(replica));
    if (o == null) {
      throw new AssertionError("no replica " + replica + " (have " + replicas().keySet() + ")");
    }
    return o;
  }

  /** The replicas of the only job that has any (empty when none has). */
  Map<ReplicaId, ReplicaObservation> replicas() {
    List<Map<ReplicaId, ReplicaObservation>> nonEmpty = jobs.values().stream().filter(m -> !m.isEmpty()).toList();
    if (nonEmpty.size() > 1) {
      throw new AssertionError("several jobs have replicas; name the job: " + jobs.keySet());
    }
    return nonEmpty.isEmpty() ? new LinkedHashMap<>() : nonEmpty.get(0);
  }

  Map<ReplicaId, ReplicaObservation> replicas(String job) {
    return of(job);
  }

  /** Every action applied since the last call. */
  List<ReplicaAction> takeApplied() {
    List<ReplicaAction> out = List.copyOf(applied);
    applied.clear();
    return out;
  }

  private Map<ReplicaId, ReplicaObservation> of(String job) {
    return jobs.computeIfAbsent(job, j -> new LinkedHashMap<>());
  }
}
