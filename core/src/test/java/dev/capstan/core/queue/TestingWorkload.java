package dev.capstan.core.queue;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A workload for scheduler tests: {@code pods} replicas of {@code cpu} cores each, created at minute {@code created}. */
record TestingWorkload(String key, String namespace, Optional<String> queueName, Optional<Integer> priority,
    Optional<String> priorityClassName, Instant createdAt, List<PodSet> podSets) implements QueueableWorkload {

  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  static TestingWorkload job(String name, String queue, int pods, double cpu) {
    return new TestingWorkload("job " + name, "team", Optional.ofNullable(queue), Optional.empty(), Optional.empty(), T0,
        List.of(new PodSet("worker", pods, ResourceList.of("cpu", Math.round(cpu * 1000)))));
  }

  TestingWorkload priority(int p) {
    return new TestingWorkload(key, namespace, queueName, Optional.of(p), priorityClassName, createdAt, podSets);
  }

  TestingWorkload priorityClass(String name) {
    return new TestingWorkload(key, namespace, queueName, Optional.empty(), Optional.of(name), createdAt, podSets);
  }

  TestingWorkload created(int minute) {
    return new TestingWorkload(key, namespace, queueName, priority, priorityClassName, T0.plusSeconds(60L * minute), podSets);
  }

  TestingWorkload in(String ns) {
    return new TestingWorkload(key, ns, queueName, priority, priorityClassName, createdAt, podSets);
  }

  AdmittedWorkload admitted(int minute) {
    return new AdmittedWorkload(this, queueName.orElse("default"), T0.plusSeconds(60L * minute));
  }
}
