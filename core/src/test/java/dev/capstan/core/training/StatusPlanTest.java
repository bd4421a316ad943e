package dev.capstan.core.training;

import static dev.capstan.core.training.TrainingRun.stopped;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.capstan.api.training.ReplicaStatus;
import dev.capstan.api.training.TrainingJobs;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Success policies, conditions and the bookkeeping in status. */
class StatusPlanTest {
  @Test
  void defaultSuccessPolicyIsTheRankZeroReplica() {
    TrainingRun run = new TrainingRun(TrainingJobs.pytorch("ddp").replicas("master", 1).replicas("worker", 2));
    run.pass();
    run.replicas.exit("worker-0", 0);
    run.replicas.exit("worker-1", 0);
    run.pass();
    assertEquals(TrainingJobState.Running, run.state());

    run.replicas.exit("master-0", 0);
    run.pass();
    assertEquals(TrainingJobState.Succeeded, run.state());
    assertEquals("replica master-0 succeeded", run.condition("Succeeded").getMessage());
  }

  @Test
  void withoutAMasterWorkerZeroDecides() {
    TrainingRun run = new TrainingRun(TrainingJobs.job("jx", "jax").replicas("worker", 3));
    run.pass();
    run.replicas.exit("worker-0", 0);
    TrainingPlan plan = run.pass();
    assertEquals(TrainingJobState.Succeeded, run.state());
    assertEquals(List.of("worker-1", "worker-2"), stopped(plan));
  }

  @Test
  void allWorkersWaitsForEveryWorker() {
    TrainingRun run = new TrainingRun(TrainingJobs.pytorch("ddp").replicas("master", 1).replicas("worker", 2)
        .spec("successPolicy: AllWorkers"));
    run.pass();
    run.replicas.exit("master-0", 0);
    run.replicas.exit("worker-0", 0);
    run.pass();
    assertEquals(TrainingJobState.Running, run.state());

    run.replicas.exit("worker-1", 0);
    run.pass();
    assertEquals(TrainingJobState.Succeeded, run.state());
    assertEquals("every worker succeeded", run.condition("Succeeded").getMessage());
  }

  @Test
  void lastTransitionTimeMovesOnlyWhenAConditionFlips() {
    TrainingRun run = new TrainingRun(TrainingJobs.pytorch("ddp").replicas("master", 1).replicas("worker", 1));
    run.pass();
    run.after(Duration.ofSeconds(5)).pass();
    String runningSince = run.condition("Running").getLastTransitionTime();
    assertEquals(TrainingRun.T0.plusSeconds(5).toString(), runningSince);
    String createdAt = run.condition("Created").getLastTransitionTime();

    run.after(Duration.ofSeconds(5)).pass();
    assertEquals(runningSince, run.condition("Running").getLastTransitionTime());

    run.replicas.exit("worker-0", 1);
    run.after(Duration.ofSeconds(5)).pass();
    Condition notRunning = run.condition("Running");
    assertEquals("False", notRunning.getStatus());
    assertEquals(TrainingReason.ReplicaFailed.name(), notRunning.getReason());
    assertEquals(TrainingRun.T0.plusSeconds(15).toString(), notRunning.getLastTransitionTime());

    run.after(Duration.ofSeconds(5)).pass();
    assertEquals("True", run.condition("Running").getStatus());
    assertEquals(TrainingRun.T0.plusSeconds(20).toString(), run.condition("Running").getLastTransitionTime());
    assertEquals(createdAt, run.condition("Created").getLastTransitionTime());
  }

  @Test
  void everyConditionHasAReasonAndTheStatusItsGeneration() {
    TrainingRun run = new TrainingRun(TrainingJobs.pytorch("ddp").replicas("worker", 2).generation(7));
    run.pass();
    run.pass();
    assertEquals(7L, run.status().getObservedGeneration());
    for (Condition c : run.status().getConditions()) {
      assertEquals(7L, c.getObservedGeneration(), c.getType());
      TrainingReason.valueOf(c.getReason());
    }
    assertEquals(List.of("Created", "Admitted", "Running"), run.status().getConditions().stream().map(Condition::getType).toList());
  }

  @Test
  void aPassWithNothingNewLeavesTheStatusEqual() {
    TrainingRun run = new TrainingRun(TrainingJobs.pytorch("ddp").replicas("worker", 2));
    run.pass();
    run.pass();
    var before = run.status();
    run.after(Duration.ofMinutes(1)).pass();
    assertEquals(before, run.status());
  }

  @Test
  void replicaCountsAndMetrics() {
    TrainingRun run = new TrainingRun(TrainingJobs.pytorch("ddp").replicas("master", 1).replicas("worker", 3));
    run.pass();
    run.replicas.pending("worker-2");
    run.replicas.exit("worker-1", 0);
    run.replicas.metrics(Map.of("loss", "0.25"));
    run.pass();
    assertEquals(new ReplicaStatus(2, 1, 0, 0), run.status().getReplicaStatuses().get("worker"));
    assertEquals(new ReplicaStatus(1, 0, 0, 0), run.status().getReplicaStatuses().get("master"));

    run.replicas.metrics(Map.of("accuracy", "0.9"));
    run.pass();
    assertEquals(Map.of("loss", "0.25", "accuracy", "0.9"), run.status().getMetrics());
  }
}
