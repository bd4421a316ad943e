package dev.capstan.sim;

import dev.capstan.api.queue.ResourceUnits;
import dev.capstan.core.queue.PodSet;
import dev.capstan.core.queue.QueueableWorkload;
import dev.capstan.core.queue.ResourceList;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A trace job as the scheduler sees it (a gang of GPU pods, each no larger than a node) and the
 * accounts the simulator keeps for it: work left, service attained, time run and waited, preemptions.
 * Its priority is set by the replay between cycles and read by the cycle.
 */
final class SimulatedJob implements QueueableWorkload {
  final TraceJob trace;
  private final String key;
  private final Instant createdAt;
  private final List<PodSet> podSets;
  private final ResourceList demand;
  private Optional<Integer> priority = Optional.empty();

  double remaining;
  /** GPU-seconds held since it last entered the top service level. */
  double service;
  /** Seconds run, and waited, since it last entered the top service level. */
  double ranSinceTop;
  double waitedSinceTop;
  /** While it waits: since when (its waiting is counted when it leaves), and when it starves (infinity if never). */
  double pendingSince;
  double starvesAt = Double.POSITIVE_INFINITY;
  /** Seconds of progress since it last (re)started, and whether its next start is a restart. */
  double progressThisRun;
  boolean restarts;
  double firstStart = Double.NaN;
  double finish = Double.NaN;
  double admittedSeconds;
  int preemptions;

  SimulatedJob(TraceJob trace, Instant createdAt, int gpusPerNode) {
    this.trace = trace;
    this.key = String.format("job %07d", trace.id());
    this.createdAt = createdAt;
    this.podSets = List.of(gang(trace.gpus(), gpusPerNode));
    this.demand = podSets.getFirst().total();
    this.remaining = trace.duration();
  }

  /** The fewest equal pods of at most one node's GPUs each that make up the job's GPUs. */
  static PodSet gang(int gpus, int gpusPerNode) {
    int pods = (gpus + gpusPerNode - 1) / gpusPerNode;
    while (gpus % pods != 0) {
      pods++;
    }
    return new PodSet("worker", pods, ResourceList.of(ResourceUnits.GPU, gpus / pods));
  }

  void priority(Optional<Integer> p) {
    this.priority = p;
  }

  @Override
  public String key() {
    return key;
  }

  @Override
  public String namespace() {
    return "sim";
  }

  @Override
  public Optional<String> queueName() {
    return Optional.empty();
  }

  @Override
  public Optional<Integer> priority() {
    return priority;
  }

  @Override
  public Optional<String> priorityClassName() {
    return Optional.empty();
  }

  @Override
  public Instant createdAt() {
    return createdAt;
  }

  @Override
  public List<PodSet> podSets() {
    return podSets;
  }

  @Override
  public ResourceList demand() {
    return demand;
  }
}
