package dev.capstan.core.training;

import static dev.capstan.core.training.TrainingRun.started;
import static dev.capstan.core.training.TrainingRun.stopped;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.api.training.ReplicaStatus;
import dev.capstan.api.training.TrainingJobs;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The four restart policies, and what restartScope restarts. */
class RestartPolicyPlanTest {
  private static TrainingRun running(String restartPolicy) {
    TrainingRun run = new TrainingRun(TrainingJobs.pytorch("ddp")
        .replicas("master", 1, restartPolicy).replicas("worker", 1, restartPolicy));
    run.pass();
    run.pass();
    assertEquals(TrainingJobState.Running, run.state());
    return run;
  }

  @Test
  void onFailureRestartsOnceAndTheJobSucceedsWithOneRestart() {
    TrainingRun run = running("OnFailure");
    run.replicas.exit("worker-0", 1);

    TrainingPlan restart = run.pass();
    assertEquals(List.of("master-0@1", "worker-0@1"), started(restart));
    assertEquals(TrainingJobState.Restarting, run.state());
    assertEquals("True", run.condition("Restarting").getStatus());
    assertEquals(TrainingReason.GangRestart.name(), run.condition("Restarting").getReason());
    assertEquals("False", run.condition("Running").getStatus());

    run.pass();
    assertEquals(TrainingJobState.Running, run.state());
    assertEquals("False", run.condition("Restarting").getStatus());

    run.replicas.exit("worker-0", 0);
    run.replicas.exit("master-0", 0);
    TrainingPlan done = run.pass();
    assertEquals(TrainingJobState.Succeeded, run.state());
    assertEquals(1, run.status().getRestartCount());
    assertEquals(new ReplicaStatus(0, 1, 0, 1), run.status().getReplicaStatuses().get("worker"));
    assertEquals(new ReplicaStatus(0, 1, 0, 0), run.status().getReplicaStatuses().get("master"));
    assertEquals(TrainingReason.JobSucceeded.name(), run.condition("Succeeded").getReason());
    assertEquals(List.of(), started(done));
  }

  @Test
  void onFailureDoesNotRestartAWorkerThatSucceeded() {
    TrainingRun run = running("OnFailure");
    run.replicas.exit("worker-0", 0);
    assertEquals(List.of(), run.pass().actions());
    assertEquals(0, run.status().getRestartCount());
  }

  @Test
  void exitCodeOneIsPermanent() {
    TrainingRun run = running("ExitCode");
    run.replicas.exit("worker-0", 1);

    TrainingPlan plan = run.pass();
    assertEquals(List.of(), started(plan));
    assertEquals(List.of("master-0"), stopped(plan));
    assertEquals(TrainingJobState.Failed, run.state());
    assertEquals(TrainingReason.ReplicaFailedPermanently.name(), run.condition("Failed").getReason());
    assertTrue(run.condition("Failed").getMessage().contains("worker-0 exited with code 1"), run.condition("Failed").getMessage());
    assertEquals(0, run.status().getRestartCount());
  }

  @Test
  void exitCode137IsRetried() {
    TrainingRun run = running("ExitCode");
    run.replicas.exit("worker-0", 137);
    assertEquals(List.of("master-0@1", "worker-0@1"), started(run.pass()));
    assertEquals(1, run.status().getRestartCount());
  }

  @Test
  void exitCodeBoundaries() {
    for (int code : List.of(127, 2)) {
      TrainingRun run = running("ExitCode");
      run.replicas.exit("worker-0", code);
      run.pass();
      assertEquals(TrainingJobState.Failed, run.state(), "exit " + code);
    }
    for (int code : List.of(128, 130, 143)) {
      TrainingRun run = running("ExitCode");
      run.replicas.exit("worker-0", code);
      run.pass();
      assertEquals(TrainingJobState.Restarting, run.state(), "exit " + code);
    }
  }

  @Test
  void neverFailsTheJob() {
    TrainingRun run = running("Never");
    run.replicas.exit("worker-0", 143);
    TrainingPlan plan = run.pass();
    assertEquals(List.of(), started(plan));
    assertEquals(TrainingJobState.Failed, run.state());
    assertEquals(TrainingReason.ReplicaFailedPermanently.name(), run.condition("Failed").getReason());
  }

  @Test
  void alwaysRestartsAWorkerThatExitedZero() {
    TrainingRun run = running("Always");
    run.replicas.exit("worker-0", 0);
    assertEquals(List.of("master-0@1", "worker-0@1"), started(run.pass()));
    assertEquals(TrainingJobState.Restarting, run.state());
  }

  @Test
  void alwaysStillEndsWhenTheSuccessPolicyIsMet() {
    TrainingRun run = running("Always");
    run.replicas.exit("master-0", 0);
    TrainingPlan plan = run.pass();
    assertEquals(List.of(), started(plan));
    assertEquals(TrainingJobState.Succeeded, run.state());
  }

  @Test
  void aLostReplicaCountsAsExit137() {
    TrainingRun run = running("ExitCode");
    run.replicas.replicas().put(run.replicas.get("worker-0").id(), new ReplicaObservation(
        run.replicas.get("worker-0").id(), ReplicaPhase.Failed, java.util.OptionalInt.empty(), 0));
    run.pass();
    assertEquals(TrainingJobState.Restarting, run.state());
    assertTrue(run.status().getMessage().contains("exited with code 137"), run.status().getMessage());
  }

  @Test
  void gangScopeRestartsEveryReplicaWithANewAttempt() {
    TrainingRun run = new TrainingRun(TrainingJobs.pytorch("ddp")
        .replicas("master", 1).replicas("worker", 3).runPolicy("restartScope: Gang"));
    run.pass();
    run.replicas.exit("worker-2", 1);

    assertEquals(List.of("master-0@1", "worker-0@1", "worker-1@1", "worker-2@1"), started(run.pass()));
    run.replicas.replicas().values().forEach(o -> assertEquals(1, o.attempt(), o.id().shortName()));
  }

  @Test
  void replicaScopeRestartsOnlyTheFailedReplica() {
    TrainingRun run = new TrainingRun(TrainingJobs.job("tf", "tensorflow")
        .replicas("chief", 1, "OnFailure").replicas("ps", 1, "OnFailure").replicas("worker", 2, "OnFailure")
        .runPolicy("restartScope: Replica"));
    run.pass();
    run.replicas.exit("worker-1", 1);

    TrainingPlan plan = run.pass();
    assertEquals(List.of("worker-1@1"), started(plan));
    assertEquals(List.of(), stopped(plan));
    assertEquals(0, run.replicas.get("worker-0").attempt());
    assertEquals(0, run.replicas.get("chief-0").attempt());
    assertEquals(TrainingReason.ReplicaFailed.name(), run.condition("Restarting").getReason());
    assertEquals(1, run.status().getReplicaStatuses().get("worker").getRestarts());
    assertEquals(0, run.status().getReplicaStatuses().get("ps").getRestarts());

    run.replicas.exit("worker-0", 1);
    assertEquals(List.of("worker-0@2"), started(run.pass()));
    assertEquals(2, run.status().getRestartCount());
  }
}
