package dev.capstan.core.training;

import static dev.capstan.core.training.TrainingRun.started;
import static dev.capstan.core.training.TrainingRun.stopped;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.api.training.TrainingJobs;
import dev.capstan.core.queue.AdmissionDecision;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** No replica starts before the whole job is admitted; once admitted, every replica starts. */
class GangStartTest {
  private final TrainingRun run = new TrainingRun(TrainingJobs.pytorch("ddp").replicas("master", 1).replicas("worker", 2));

  @Test
  void waitingForCapacityStartsNothing() {
    TrainingPlan plan = run.pass(new AdmissionDecision.Waiting("waiting for capacity: cpu 8 > 2 free"));

    assertEquals(List.of(), plan.actions());
    assertEquals(TrainingJobState.Queued, run.state());
    assertEquals("waiting for capacity: cpu 8 > 2 free", run.status().getMessage());
    assertEquals("True", run.condition("Queued").getStatus());
    assertEquals(TrainingReason.InsufficientCapacity.name(), run.condition("Queued").getReason());
    assertEquals("True", run.condition("Created").getStatus());
    assertNull(run.status().getStartTime());
  }

  @Test
  void admittedStartsEveryReplicaAtAttemptZero() {
    run.pass(new AdmissionDecision.Waiting("waiting for capacity: cpu 8 > 2 free"));
    TrainingPlan plan = run.pass(AdmissionDecision.admitted());

    assertEquals(List.of("master-0@0", "worker-0@0", "worker-1@0"), started(plan));
    assertEquals(TrainingJobState.Starting, run.state());
    assertEquals("False", run.condition("Queued").getStatus());
    assertEquals("True", run.condition("Admitted").getStatus());
    assertEquals(TrainingRun.T0.toString(), run.status().getStartTime());
  }

  @Test
  void launchesCarryNamesLabelsAndTheEnvironmentContract() {
    TrainingPlan plan = run.pass();
    ReplicaLaunch worker = plan.actions().stream()
        .map(a -> ((ReplicaAction.Start) a).launch())
        .filter(l -> l.id().shortName().equals("worker-1")).findFirst().orElseThrow();

    assertEquals("ddp-worker-1", worker.name());
    assertEquals("2", worker.env().get("RANK"));
    assertEquals("ddp-master-0", worker.env().get("MASTER_ADDR"));
    assertEquals("worker", worker.group().role());
    assertEquals(Map.of(
        "training.kubeflow.org/operator-name", "pytorchjob-controller",
        "training.kubeflow.org/job-name", "ddp",
        "training.kubeflow.org/replica-type", "worker",
        "training.kubeflow.org/replica-index", "1",
        "capstan.dev/trainingjob", "ddp",
        "capstan.dev/attempt", "0"), worker.labels());

    ReplicaLaunch master = ((ReplicaAction.Start) plan.actions().get(0)).launch();
    assertEquals("master", master.labels().get("training.kubeflow.org/job-role"));
  }

  @Test
  void runningOnlyOnceEveryReplicaRuns() {
    run.pass();
    run.replicas.pending("worker-1");
    TrainingPlan plan = run.pass();
    assertEquals(List.of(), plan.actions());
    assertEquals(TrainingJobState.Starting, run.state());

    run.replicas.replicas().replaceAll((id, o) -> ReplicaObservation.running(id, o.attempt()));
    run.pass();
    assertEquals(TrainingJobState.Running, run.state());
    assertEquals("True", run.condition("Running").getStatus());
    assertEquals(TrainingReason.AllReplicasRunning.name(), run.condition("Running").getReason());
  }

  @Test
  void aReplicaThatVanishedIsStartedAgainAtTheSameAttempt() {
    run.pass();
    run.replicas.replicas().remove(dev.capstan.api.training.ReplicaId.parseShort("worker-0"));
    assertEquals(List.of("worker-0@0"), started(run.pass()));
  }

  @Test
  void losingAdmissionStopsWhatRuns() {
    run.pass();
    TrainingPlan plan = run.pass(new AdmissionDecision.Waiting("waiting for capacity: memory 8Gi > 1Gi free"));
    assertEquals(List.of("master-0", "worker-0", "worker-1"), stopped(plan));
    assertEquals(TrainingJobState.Queued, run.state());
  }

  @Test
  void rejectedFailsTheJobWithoutStartingAnything() {
    TrainingPlan plan = run.pass(new AdmissionDecision.Rejected("the job needs more than this machine has in all: cpu 64 > 8"));
    assertEquals(List.of(), plan.actions());
    assertEquals(TrainingJobState.Failed, run.state());
    assertEquals(TrainingReason.ExceedsCapacity.name(), run.condition("Failed").getReason());
    assertTrue(run.condition("Failed").getMessage().contains("cpu 64 > 8"));
  }
}
