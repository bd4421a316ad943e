package dev.capstan.core.training;

import static dev.capstan.core.training.TrainingRun.started;
import static dev.capstan.core.training.TrainingRun.stopped;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.capstan.api.training.TrainingJobs;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A replica whose command cannot be executed fails the job at once: no restart could fix it. */
class CommandNotFoundPlanTest {
  private static TrainingRun running(String restartPolicy) {
    TrainingRun run = new TrainingRun(TrainingJobs.pytorch("ddp")
        .replicas("master", 1, restartPolicy).replicas("worker", 2, restartPolicy));
    run.pass();
    run.pass();
    assertEquals(TrainingJobState.Running, run.state());
    return run;
  }

  private static void cannotExecute(TrainingRun run, String replica, int code, String problem) {
    ReplicaObservation o = run.replicas.get(replica);
    run.replicas.replicas().put(o.id(), ReplicaObservation.cannotExecute(o.id(), code, o.attempt(), problem));
  }

  @Test
  void aMissingCommandFailsTheJobWithoutSpendingARestartEvenUnderAlways() {
    TrainingRun run = running("Always");
    cannotExecute(run, "worker-1", 127, "not found: /work/nope/train.sh");

    TrainingPlan plan = run.pass();
    assertEquals(List.of(), started(plan));
    assertEquals(List.of("master-0", "worker-0"), stopped(plan).stream().filter(s -> !s.equals("worker-1")).toList());
    assertEquals(TrainingJobState.Failed, run.state());
    assertEquals(0, run.status().getRestartCount());
    assertEquals(TrainingReason.CommandNotFound.name(), run.condition("Failed").getReason());
    assertEquals("replica worker-1 cannot run its command: not found: /work/nope/train.sh (exit code 127; no restart can fix it)",
        run.condition("Failed").getMessage());
  }

  @Test
  void aReplicaThatExitsWith127ByItselfIsRestartedAsUsual() {
    TrainingRun run = running("OnFailure");
    run.replicas.exit("worker-0", 127);
    assertEquals(List.of("master-0@1", "worker-0@1", "worker-1@1"), started(run.pass()));
    assertEquals(TrainingJobState.Restarting, run.state());
  }
}
