package dev.capstan.core.training;

import static dev.capstan.core.training.TrainingRun.started;
import static dev.capstan.core.training.TrainingRun.stopped;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.api.training.TrainingJobs;
import dev.capstan.core.queue.AdmissionDecision;
import dev.capstan.core.queue.Eviction;
import dev.capstan.core.queue.PreemptionReason;
import dev.capstan.core.queue.Shortfall;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A preempted job stops its replicas, holds its quota until they are gone, queues again and restarts at the same attempt. */
class PreemptionPlanTest {
  private final TrainingRun run = new TrainingRun(TrainingJobs.pytorch("low").replicas("master", 1).replicas("worker", 2));
  private final AdmissionDecision.Preempted preempted = new AdmissionDecision.Preempted("research", new Eviction(
      Optional.of("TrainingJob team-a/high"), PreemptionReason.CohortReclaim, "preempted by TrainingJob team-a/high (priority 100): "
      + "Queue prod reclaims the quota Queue research borrowed"));

  @Test
  void preemptionStopsEveryReplicaAndQueuesWithoutCountingARestart() {
    run.pass(new AdmissionDecision.Admitted("research"));
    run.pass(new AdmissionDecision.Admitted("research"));
    assertEquals(TrainingJobState.Running, run.state());

    TrainingPlan stopping = run.pass(preempted);
    assertEquals(List.of("master-0", "worker-0", "worker-1"), stopped(stopping));
    assertTrue(stopping.actions().stream().allMatch(a -> ((ReplicaAction.Stop) a).grace().equals(Optional.of(Duration.ofSeconds(60)))),
        "each replica gets preemptionGracePeriodSeconds (default 60) to checkpoint");
    assertEquals(TrainingJobState.Preempted, run.state());
    assertEquals("True", run.condition("Admitted").getStatus(), "the quota is held until the replicas are gone");
    assertEquals(PreemptionReason.CohortReclaim.name(), run.condition("Preempted").getReason());
    assertTrue(run.condition("Preempted").getMessage().contains("TrainingJob team-a/high"));

    run.pass(preempted);
    assertEquals(TrainingJobState.Queued, run.state());
    assertEquals("False", run.condition("Admitted").getStatus());
    assertEquals(TrainingReason.Preempted.name(), run.condition("Queued").getReason());

    run.pass(new AdmissionDecision.Waiting("research", 1, List.of(new Shortfall(Shortfall.Kind.QuotaExceeded, "cpu", 3000, 0))));
    assertEquals(1, run.status().getQueuePosition());
    assertEquals("research", run.status().getQueue());
    assertEquals(TrainingReason.QuotaExceeded.name(), run.condition("Queued").getReason());

    TrainingPlan again = run.pass(new AdmissionDecision.Admitted("research"));
    assertEquals(List.of("master-0@0", "worker-0@0", "worker-1@0"), started(again), "same attempt: no restart is spent");
    assertEquals(0, run.status().getRestartCount());
    assertEquals("False", run.condition("Preempted").getStatus());
    assertNull(run.status().getQueuePosition());
  }
}
