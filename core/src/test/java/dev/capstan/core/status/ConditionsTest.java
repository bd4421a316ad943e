package dev.capstan.core.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** metav1.Condition bookkeeping. */
class ConditionsTest {
  private enum Why { Started, StillGoing, Stopped }

  private static final Instant T1 = Instant.parse("2025-03-01T10:00:00Z");
  private static final Instant T2 = T1.plusSeconds(30);
  private static final Instant T3 = T1.plusSeconds(60);

  @Test
  void transitionTimeMovesOnlyWhenTheStatusFlips() {
    List<Condition> c = Conditions.set(List.of(), "Running", true, Why.Started, "up", T1, 1);
    Condition first = Conditions.find(c, "Running").orElseThrow();
    assertEquals("True", first.getStatus());
    assertEquals(T1.toString(), first.getLastTransitionTime());

    c = Conditions.set(c, "Running", true, Why.StillGoing, "still up", T2, 2);
    Condition same = Conditions.find(c, "Running").orElseThrow();
    assertEquals(T1.toString(), same.getLastTransitionTime());
    assertEquals("StillGoing", same.getReason());
    assertEquals("still up", same.getMessage());
    assertEquals(2L, same.getObservedGeneration());

    c = Conditions.set(c, "Running", false, Why.Stopped, "down", T3, 2);
    assertEquals(T3.toString(), Conditions.find(c, "Running").orElseThrow().getLastTransitionTime());
    assertEquals(1, c.size());
  }

  @Test
  void clearTouchesOnlyAConditionThatIsTrue() {
    List<Condition> none = List.of();
    assertSame(none, Conditions.clear(none, "Running", Why.Stopped, "down", T1, 1));

    List<Condition> down = Conditions.set(List.of(), "Running", false, Why.Stopped, "down", T1, 1);
    assertSame(down, Conditions.clear(down, "Running", Why.Stopped, "down again", T2, 1));

    List<Condition> up = Conditions.set(List.of(), "Running", true, Why.Started, "up", T1, 1);
    List<Condition> cleared = Conditions.clear(up, "Running", Why.Stopped, "down", T2, 1);
    assertFalse(Conditions.isTrue(cleared, "Running"));
    assertEquals(T2.toString(), cleared.get(0).getLastTransitionTime());
  }

  @Test
  void otherConditionsKeepTheirPlace() {
    List<Condition> c = Conditions.set(List.of(), "Created", true, Why.Started, "created", T1, 1);
    c = Conditions.set(c, "Running", true, Why.Started, "up", T2, 1);
    c = Conditions.set(c, "Created", true, Why.StillGoing, "created", T3, 1);
    assertEquals(List.of("Created", "Running"), c.stream().map(Condition::getType).toList());
    assertTrue(Conditions.isTrue(c, "Created"));
    assertFalse(Conditions.isTrue(c, "Missing"));
    assertFalse(Conditions.isTrue(null, "Created"));
  }
}
