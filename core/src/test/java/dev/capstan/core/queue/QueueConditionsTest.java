package dev.capstan.core.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.capstan.api.codec.Manifests;
import dev.capstan.api.queue.Queue;
import dev.capstan.api.queue.QueueModel;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueueConditionsTest {
  private static final Instant T0 = Instant.parse("2026-11-30T00:00:00Z");

  @Test
  void aQueueSharingItsCohortIsReady() {
    QueueModel a = queue("a", "shared");
    Condition active = only(QueueConditions.valid(List.of(), a, List.of(a, queue("b", "shared")), T0, 1));
    assertEquals(List.of("Active", "True", "Ready", "admitting workloads"),
        List.of(active.getType(), active.getStatus(), active.getReason(), active.getMessage()));
  }

  @Test
  void aCohortWithNoOtherMemberIsSaidSoMostOftenAMisspeltName() {
    QueueModel a = queue("a", "shraed");
    Condition active = only(QueueConditions.valid(List.of(), a, List.of(a, queue("b", "shared")), T0, 1));
    assertEquals("True", active.getStatus());
    assertEquals("CohortHasNoOtherQueue", active.getReason());
    assertEquals("admitting workloads; cohort 'shraed' has no other Queue, so there is nothing to borrow or lend until one joins",
        active.getMessage());
  }

  @Test
  void anInvalidQueueIsInactiveWithTheProblemAndTheTransitionTimeMovesOnlyOnAFlip() {
    List<Condition> ready = QueueConditions.valid(List.of(), queue("a", null), List.of(), T0, 1);
    List<Condition> broken = QueueConditions.invalid(ready, "spec.resources.cpu.nominalQuota: must not be negative", T0.plusSeconds(5), 2);
    Condition active = only(broken);
    assertEquals(List.of("False", "InvalidSpec", "not admitting: spec.resources.cpu.nominalQuota: must not be negative"),
        List.of(active.getStatus(), active.getReason(), active.getMessage()));
    assertEquals(T0.plusSeconds(5).toString(), active.getLastTransitionTime());
    Condition again = only(QueueConditions.invalid(broken, "still", T0.plusSeconds(9), 2));
    assertEquals(T0.plusSeconds(5).toString(), again.getLastTransitionTime());
  }

  private static Condition only(List<Condition> conditions) {
    assertEquals(1, conditions.size(), conditions.toString());
    return conditions.get(0);
  }

  private static QueueModel queue(String name, String cohort) {
    String yaml = "apiVersion: capstan.dev/v1alpha1\nkind: Queue\nmetadata: {name: " + name + "}\nspec:\n"
        + (cohort == null ? "" : "  cohort: " + cohort + "\n") + "  resources: {cpu: {nominalQuota: \"1\"}}\n";
    return QueueModel.from((Queue) Manifests.toResource(Manifests.parseDocuments(yaml, "test").get(0)));
  }
}
