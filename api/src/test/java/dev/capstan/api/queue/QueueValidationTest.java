package dev.capstan.api.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.api.codec.Manifests;
import dev.capstan.api.training.TrainingJobModel;
import dev.capstan.api.training.TrainingJobs;
import dev.capstan.api.validation.FieldError;
import dev.capstan.api.validation.InvalidSpecException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Queues, priority classes and a job's queue fields: the issue's shape reaches the model; bad input names its path. */
class QueueValidationTest {
  private static final String RESEARCH = """
      apiVersion: capstan.dev/v1alpha1
      kind: Queue
      metadata: {name: research}
      spec:
        namespaces: [team-a, team-b]
        cohort: shared
        queueingStrategy: BestEffortFIFO
        resources:
          cpu: {nominalQuota: "4", borrowingLimit: "4"}
          memory: {nominalQuota: 16Gi}
          nvidia.com/gpu: {nominalQuota: "2", lendingLimit: "1"}
        preemption: {withinQueue: LowerPriority, reclaimWithinCohort: Any}
        fairSharing: {weight: 1}
        minimumRuntimeSeconds: 300
      """;

  @Test
  void theIssuesShapeReachesTheModel() {
    QueueModel q = queue(RESEARCH);
    assertEquals("research", q.name());
    assertTrue(q.namespaces().serves("team-a", Map.of()));
    assertFalse(q.namespaces().serves("team-c", Map.of()));
    assertEquals(Optional.of("shared"), q.cohort());
    assertEquals(new Quota(4000, OptionalLong.of(4000), OptionalLong.empty()), q.quota("cpu"));
    assertEquals(16L << 30, q.quota("memory").nominal());
    assertEquals(1, q.quota("nvidia.com/gpu").lendable());
    assertEquals(1, q.quota("nvidia.com/gpu").guaranteed());
    assertFalse(q.limits("example.com/fpga"), "a resource the queue lists no quota for is left to the capacity check");
    assertEquals(PreemptionRules.WithinQueue.LowerPriority, q.preemption().withinQueue());
    assertEquals(PreemptionRules.Reclaim.Any, q.preemption().reclaimWithinCohort());
    assertEquals(Duration.ofMinutes(5), q.minimumRuntime());
    assertFalse(q.unbounded());
  }

  @Test
  void aSelectorMatchesLabels() {
    QueueModel q = queue("""
        apiVersion: capstan.dev/v1alpha1
        kind: Queue
        metadata: {name: labelled}
        spec: {namespaceSelector: {matchLabels: {team: ml}}}
        """);
    assertTrue(q.namespaces().serves("x", Map.of("team", "ml")));
    assertFalse(q.namespaces().serves("x", Map.of("team", "web")));
  }

  @Test
  void badQueuesNameTheirPaths() {
    assertRejected("spec: {resources: {cpu: {nominalQuota: \"-1\"}}}", "spec.resources.cpu.nominalQuota", "must not be negative");
    assertRejected("spec: {resources: {cpu: {}}}", "spec.resources.cpu.nominalQuota", "required");
    assertRejected("spec: {resources: {cpu: {nominalQuota: \"2\", lendingLimit: \"1\"}}}", "spec.resources.cpu", "need spec.cohort");
    assertRejected("spec: {cohort: c, resources: {cpu: {nominalQuota: \"2\", lendingLimit: \"3\"}}}",
        "spec.resources.cpu.lendingLimit", "at most nominalQuota");
    assertRejected("spec: {resources: {cpu: {nominalQuota: \"2000000\"}}}", "spec.resources.cpu.nominalQuota", "at most");
    assertRejected("spec: {resources: {\"bad name!\": {nominalQuota: \"1\"}}}", "spec.resources.bad name!", "not a resource name");
    assertRejected("spec: {queueingStrategy: Fifo}", "spec.queueingStrategy", "StrictFIFO");
    assertRejected("spec: {preemption: {reclaimWithinCohort: Sometimes}}", "spec.preemption.reclaimWithinCohort", "Any");
    assertRejected("spec: {fairSharing: {weight: -1}}", "spec.fairSharing.weight", "between 0");
    assertRejected("spec: {stopPolicy: Drain}", "spec.stopPolicy", "HoldAndDrain");
    assertRejected("spec: {namespaces: [a], namespaceSelector: {matchLabels: {a: b}}}", "spec.namespaceSelector", "not both");
    assertRejected("spec: {cohort: Shared_Pool}", "spec.cohort", "lowercase");
    assertRejected("spec: {minimumRuntimeSeconds: -5}", "spec.minimumRuntimeSeconds", "at least 0");
  }

  @Test
  void priorityClassesHaveBoundedValues() {
    assertEquals(1000, Priorities.value(priorityClass("{value: 1000, description: urgent}")));
    assertHas(assertThrows(InvalidSpecException.class, () -> Priorities.value(priorityClass("{description: x}"))).errors(),
        "spec.value", "required");
    assertHas(assertThrows(InvalidSpecException.class, () -> Priorities.value(priorityClass("{value: 2000000000}"))).errors(),
        "spec.value", "at most");
  }

  @Test
  void aJobResolvesItsPriority() {
    Map<String, Integer> classes = Map.of("high", 100);
    assertEquals(7, Priorities.resolve(Optional.of(7), Optional.of("high"), classes));
    assertEquals(100, Priorities.resolve(Optional.empty(), Optional.of("high"), classes));
    assertEquals(Priorities.DEFAULT, Priorities.resolve(Optional.empty(), Optional.empty(), classes));
    assertHas(assertThrows(InvalidSpecException.class, () -> Priorities.resolve(Optional.empty(), Optional.of("low"), classes))
        .errors(), "spec.priorityClassName", "no WorkloadPriorityClass named 'low'");
  }

  @Test
  void aJobNamesItsQueueAndPriority() {
    TrainingJobModel model = job().spec("queue: research\npriority: 100\npriorityClassName: high\n")
        .runPolicy("preemptionGracePeriodSeconds: 30").model();
    assertEquals(Optional.of("research"), model.queueing().queue());
    assertEquals(Optional.of(100), model.queueing().priority());
    assertEquals(Optional.of("high"), model.queueing().priorityClassName());
    assertEquals(Duration.ofSeconds(30), model.runPolicy().preemptionGracePeriod());
    assertEquals(Duration.ofSeconds(60), job().model().runPolicy().preemptionGracePeriod());
    assertEquals(Optional.empty(), job().model().queueing().queue());
  }

  @Test
  void badJobQueueFieldsNameTheirPaths() {
    assertHas(jobErrors(job().spec("priority: 2000000000\n")), "spec.priority", "at most");
    assertHas(jobErrors(job().spec("queue: Research\n")), "spec.queue", "lowercase");
    assertHas(jobErrors(job().runPolicy("preemptionGracePeriodSeconds: 7200")),
        "spec.runPolicy.preemptionGracePeriodSeconds", "at most 3600");
  }

  private static TrainingJobs job() {
    return TrainingJobs.pytorch("j").replicas("master", 1);
  }

  private static List<FieldError> jobErrors(TrainingJobs job) {
    return assertThrows(InvalidSpecException.class, job::model).errors();
  }

  private static QueueModel queue(String yaml) {
    return QueueModel.from((Queue) Manifests.toResource(Manifests.parseDocuments(yaml, "test").get(0)));
  }

  private static WorkloadPriorityClass priorityClass(String spec) {
    return (WorkloadPriorityClass) Manifests.toResource(Manifests.parseDocuments("""
        apiVersion: capstan.dev/v1alpha1
        kind: WorkloadPriorityClass
        metadata: {name: high}
        spec: %s
        """.formatted(spec), "test").get(0));
  }

  private static void assertRejected(String spec, String path, String reasonPart) {
    String yaml = "apiVersion: capstan.dev/v1alpha1\nkind: Queue\nmetadata: {name: q}\n" + spec + "\n";
    assertHas(assertThrows(InvalidSpecException.class, () -> queue(yaml), yaml).errors(), path, reasonPart);
  }

  private static void assertHas(List<FieldError> errors, String path, String reasonPart) {
    assertTrue(errors.stream().anyMatch(e -> e.path().equals(path) && e.reason().contains(reasonPart)),
        () -> "expected " + path + ": …" + reasonPart + "… in " + errors);
  }
}
