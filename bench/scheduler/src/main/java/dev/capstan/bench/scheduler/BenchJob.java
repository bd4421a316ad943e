package dev.capstan.bench.scheduler;

import dev.capstan.core.queue.PodSet;
import dev.capstan.core.queue.QueueableWorkload;
import dev.capstan.core.queue.ResourceList;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A synthetic gang job: {@code replicas} identical pods in one queue, with a priority and a creation time. */
record BenchJob(String key, Optional<String> queueName, Optional<Integer> priority, Instant createdAt, List<PodSet> podSets,
    ResourceList demand) implements QueueableWorkload {

  static BenchJob of(int id, String queue, int priority, Instant createdAt, int replicas, ResourceList perPod) {
    List<PodSet> podSets = List.of(new PodSet("worker", replicas, perPod));
    return new BenchJob("TrainingJob team/job-" + id, Optional.of(queue), Optional.of(priority), createdAt, podSets,
        perPod.times(replicas));
  }

  @Override
  public String namespace() {
    return "team";
  }

  @Override
  public Optional<String> priorityClassName() {
    return Optional.empty();
  }
}
