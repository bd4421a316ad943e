package dev.capstan.local.queue;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.core.queue.AdmissionDecision;
import dev.capstan.core.queue.Eviction;
import dev.capstan.core.queue.PreemptionReason;
import dev.capstan.core.queue.QueueStore;
import dev.capstan.core.queue.SchedulingResult;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What serving counts as held by training: exactly what the latest cycle admitted or is still preempting. */
class LastCycleTest {
  @Test
  void onlyAdmittedAndStoppingJobsOfTheLatestCycleHoldCapacity() {
    LastCycle cycle = new LastCycle(QueueStore.NONE);
    assertFalse(cycle.holdsCapacity("TrainingJob a/run"), "nothing before the first cycle");
    cycle.record(new SchedulingResult(Map.of(
        "TrainingJob a/run", new AdmissionDecision.Admitted("research"),
        "TrainingJob a/stopping", new AdmissionDecision.Preempted("research",
            new Eviction(Optional.of("TrainingJob a/high"), PreemptionReason.CohortReclaim, "reclaimed")),
        "TrainingJob a/quota", new AdmissionDecision.Waiting("held back by quota"),
        "TrainingJob a/huge", new AdmissionDecision.Rejected("too large")), Map.of(), List.of()));
    assertTrue(cycle.holdsCapacity("TrainingJob a/run"));
    assertTrue(cycle.holdsCapacity("TrainingJob a/stopping"));
    assertFalse(cycle.holdsCapacity("TrainingJob a/quota"), "a job its quota holds back leaves the capacity to serving");
    assertFalse(cycle.holdsCapacity("TrainingJob a/huge"));
    assertFalse(cycle.holdsCapacity("TrainingJob a/unknown"));
  }
}
