package dev.capstan.core.training;

import static dev.capstan.core.training.TrainingRun.started;
import static dev.capstan.core.training.TrainingRun.stopped;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.api.training.TrainingJobs;
import dev.capstan.core.queue.AdmissionDecision;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** backoffLimit, activeDeadlineSeconds, ttlSecondsAfterFinished, cleanPodPolicy, suspend, deletion. */
class RunPolicyPlanTest {
  private static TrainingJobs ddp() {
    return TrainingJobs.pytorch("ddp").replicas("master", 1).replicas("worker", 2);
  }

  @Test
  void backoffLimitCountsEveryRestartThenFailsAndStopsWhatRuns() {
    TrainingRun run = new TrainingRun(ddp().runPolicy("backoffLimit: 2"));
    run.pass();
    for (int restart = 1; restart <= 2; restart++) {
      run.replicas.exit("worker-1", 137);
      assertEquals(List.of("master-0@" + restart, "worker-0@" + restart, "worker-1@" + restart), started(run.pass()));
    }
    run.replicas.exit("worker-1", 137);

    TrainingPlan plan = run.pass();
    assertEquals(List.of(), started(plan));
    assertEquals(List.of("master-0", "worker-0"), stopped(plan));
    assertEquals(TrainingJobState.Failed, run.state());
    assertEquals(TrainingReason.BackoffLimitExceeded.name(), run.condition("Failed").getReason());
    assertEquals(2, run.status().getRestartCount());
    assertEquals("False", run.condition("Restarting").getStatus());
    assertEquals("False", run.condition("Admitted").getStatus());
    assertEquals(run.now().toString(), run.status().getCompletionTime());
  }

  @Test
  void backoffLimitZeroFailsOnTheFirstRetryableExit() {
    TrainingRun run = new TrainingRun(ddp().runPolicy("backoffLimit: 0"));
    run.pass();
    run.replicas.exit("master-0", 143);
    run.pass();
    assertEquals(TrainingReason.BackoffLimitExceeded.name(), run.condition("Failed").getReason());
  }

  @Test
  void backoffLimitStopsRunningReplicasEvenUnderCleanPodPolicyNone() {
    TrainingRun run = new TrainingRun(ddp().runPolicy("backoffLimit: 0").runPolicy("cleanPodPolicy: None"));
    run.pass();
    run.replicas.exit("worker-0", 1);
    assertEquals(List.of("master-0", "worker-1"), stopped(run.pass()));
  }

  @Test
  void activeDeadlineFailsTheJobAndStopsItsReplicas() {
    TrainingRun run = new TrainingRun(ddp().runPolicy("activeDeadlineSeconds: 60"));
    TrainingPlan first = run.pass();
    assertEquals(Optional.of(Duration.ofSeconds(60)), first.requeueAfter());

    TrainingPlan before = run.after(Duration.ofSeconds(59)).pass();
    assertEquals(List.of(), before.actions());
    assertEquals(Optional.of(Duration.ofSeconds(1)), before.requeueAfter());

    TrainingPlan at = run.after(Duration.ofSeconds(1)).pass();
    assertEquals(List.of("master-0", "worker-0", "worker-1"), stopped(at));
    assertEquals(TrainingJobState.Failed, run.state());
    assertEquals(TrainingReason.DeadlineExceeded.name(), run.condition("Failed").getReason());
    assertTrue(run.condition("Failed").getMessage().contains("activeDeadlineSeconds=60"));
  }

  @Test
  void theDeadlineCountsFromAdmissionNotFromQueueing() {
    TrainingRun run = new TrainingRun(ddp().runPolicy("activeDeadlineSeconds: 60"));
    run.pass(new AdmissionDecision.Waiting("waiting for capacity: cpu 4 > 0 free"));
    run.after(Duration.ofMinutes(10)).pass();
    assertEquals(TrainingJobState.Starting, run.state());
    run.after(Duration.ofSeconds(59)).pass();
    assertEquals(TrainingJobState.Running, run.state());
  }

  @Test
  void ttlAfterFinishedRemovesTheJob() {
    TrainingRun run = new TrainingRun(ddp().runPolicy("ttlSecondsAfterFinished: 300"));
    run.pass();
    run.replicas.exit("master-0", 0);

    TrainingPlan finished = run.after(Duration.ofSeconds(10)).pass();
    assertEquals(TrainingJobState.Succeeded, run.state());
    assertFalse(finished.removeJob());
    assertEquals(Optional.of(Duration.ofSeconds(300)), finished.requeueAfter());

    TrainingPlan waiting = run.after(Duration.ofSeconds(299)).pass();
    assertFalse(waiting.removeJob());
    assertEquals(Optional.of(Duration.ofSeconds(1)), waiting.requeueAfter());

    assertTrue(run.after(Duration.ofSeconds(1)).pass().removeJob());
  }

  @Test
  void ttlZeroRemovesTheJobAsSoonAsItFinishes() {
    TrainingRun run = new TrainingRun(ddp().runPolicy("ttlSecondsAfterFinished: 0").runPolicy("cleanPodPolicy: None"));
    run.pass();
    run.replicas.exit("master-0", 0);
    TrainingPlan plan = run.pass();
    assertTrue(plan.removeJob());
    assertEquals(List.of("master-0", "worker-0", "worker-1"), stopped(plan));
  }

  @Test
  void withoutTtlAFinishedJobStays() {
    TrainingRun run = new TrainingRun(ddp());
    run.pass();
    run.replicas.exit("master-0", 0);
    run.pass();
    TrainingPlan later = run.after(Duration.ofDays(30)).pass();
    assertFalse(later.removeJob());
    assertEquals(Optional.empty(), later.requeueAfter());
  }

  /** master-0 succeeded, worker-0 succeeded, worker-1 still running when the job finishes. */
  private static TrainingPlan finishWith(String cleanPodPolicy) {
    TrainingRun run = new TrainingRun(ddp().runPolicy("cleanPodPolicy: " + cleanPodPolicy));
    run.pass();
    run.replicas.exit("worker-0", 0);
    run.replicas.exit("master-0", 0);
    TrainingPlan plan = run.pass();
    assertEquals(TrainingJobState.Succeeded, run.state());
    return plan;
  }

  @Test
  void cleanPodPolicyAllStopsEveryReplica() {
    assertEquals(List.of("master-0", "worker-0", "worker-1"), stopped(finishWith("All")));
  }

  @Test
  void cleanPodPolicyRunningStopsOnlyActiveReplicas() {
    assertEquals(List.of("worker-1"), stopped(finishWith("Running")));
  }

  @Test
  void cleanPodPolicyNoneLeavesEveryReplica() {
    assertEquals(List.of(), finishWith("None").actions());
  }

  @Test
  void suspendStopsEverythingAndReleasesCapacity() {
    TrainingRun run = new TrainingRun(ddp());
    run.pass();
    run.pass();
    TrainingPlan plan = run.edit(ddp().runPolicy("suspend: true").generation(2)).pass();

    assertEquals(List.of("master-0", "worker-0", "worker-1"), stopped(plan));
    assertEquals(List.of(), started(plan));
    assertEquals(TrainingJobState.Suspended, run.state());
    assertEquals("True", run.condition("Suspended").getStatus());
    assertEquals(TrainingReason.JobSuspended.name(), run.condition("Suspended").getReason());
    assertEquals("False", run.condition("Admitted").getStatus());
    assertEquals("False", run.condition("Running").getStatus());
    assertNull(run.status().getStartTime());

    assertEquals(List.of(), run.pass().actions());
  }

  @Test
  void resumeGoesBackThroughAdmission() {
    TrainingRun run = new TrainingRun(ddp());
    run.pass();
    run.edit(ddp().runPolicy("suspend: true")).pass();
    run.edit(ddp().runPolicy("suspend: false"));

    TrainingPlan queued = run.after(Duration.ofMinutes(5)).pass(new AdmissionDecision.Waiting("waiting for capacity: cpu 3 > 1 free"));
    assertEquals(List.of(), queued.actions());
    assertEquals(TrainingJobState.Queued, run.state());
    assertEquals("False", run.condition("Suspended").getStatus());
    assertEquals(TrainingReason.JobResumed.name(), run.condition("Suspended").getReason());

    TrainingPlan admitted = run.pass(AdmissionDecision.admitted());
    assertEquals(List.of("master-0@0", "worker-0@0", "worker-1@0"), started(admitted));
    assertEquals(run.now().toString(), run.status().getStartTime());
  }

  @Test
  void deletionStopsEveryReplicaThenRemovesTheJob() {
    TrainingRun run = new TrainingRun(ddp());
    run.pass();
    TrainingPlan plan = run.deleting();
    assertEquals(List.of("master-0", "worker-0", "worker-1"), stopped(plan));
    assertFalse(plan.removeJob());
    assertTrue(run.deleting().removeJob());
  }

  @Test
  void aNewGenerationOfAFailedJobRunsItAgainFromAttemptZero() {
    TrainingRun run = new TrainingRun(TrainingJobs.pytorch("ddp").replicas("master", 1).replicas("worker", 2, "Never")
        .runPolicy("cleanPodPolicy: None"));
    run.pass();
    run.replicas.exit("worker-0", 1);
    run.pass();
    assertEquals(TrainingJobState.Failed, run.state());
    assertEquals(List.of(), started(run.pass()), "a finished job stays finished while its spec does not change");

    run.edit(TrainingJobs.pytorch("ddp").replicas("master", 1).replicas("worker", 2, "OnFailure")
        .runPolicy("cleanPodPolicy: None").generation(2));
    TrainingPlan again = run.pass();
    assertEquals(List.of("master-0", "worker-0", "worker-1"), stopped(again), "what is left of the failed run goes");
    assertEquals(TrainingJobState.Created, run.state());
    assertEquals(TrainingReason.SpecChanged.name(), run.condition("Created").getReason());
    assertEquals(2L, run.status().getObservedGeneration());
    assertNull(run.status().getCompletionTime());

    assertEquals(List.of("master-0@0", "worker-0@0", "worker-1@0"), started(run.pass()));
    assertEquals(TrainingJobState.Starting, run.state());
    assertEquals(0, run.status().getRestartCount());
  }

  @Test
  void aNewGenerationOfASucceededJobRunsItAgain() {
    TrainingRun run = new TrainingRun(TrainingJobs.pytorch("ddp").replicas("worker", 1));
    run.pass();
    run.replicas.exit("worker-0", 0);
    run.pass();
    assertEquals(TrainingJobState.Succeeded, run.state());

    run.edit(TrainingJobs.pytorch("ddp").replicas("worker", 1).generation(2)).pass();
    assertEquals(List.of("worker-0@0"), started(run.pass()));
  }
}
