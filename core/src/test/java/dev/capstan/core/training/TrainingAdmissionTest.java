package dev.capstan.core.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.capstan.api.training.TrainingJob;
import dev.capstan.api.training.TrainingJobStatus;
import dev.capstan.api.training.TrainingJobs;
import dev.capstan.core.queue.AdmissionDecision;
import dev.capstan.core.queue.Capacity;
import dev.capstan.core.queue.QueueStore;
import dev.capstan.core.queue.ResourceAmounts;
import dev.capstan.core.queue.ResourceList;
import dev.capstan.core.queue.SchedulerPolicy;
import dev.capstan.core.status.Conditions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One admission cycle over TrainingJobs as they are stored: oldest first, admitted ones hold capacity. */
class TrainingAdmissionTest {
  /** 4 CPUs, 8 GiB, no GPU. */
  private static final ResourceAmounts HOST = new ResourceAmounts(4000, 8L * 1024 * 1024 * 1024, 0);

  private static TrainingJob job(String name, String created, int workers) {
    return TrainingJobs.pytorch(name).requests("{cpu: 1, memory: 1Gi}").replicas("worker", workers)
        .created(created).build();
  }

  private static TrainingJob withState(TrainingJob job, TrainingJobState state, boolean admitted) {
    TrainingJobStatus status = new TrainingJobStatus();
    status.setState(state.name());
    if (admitted) {
      status.setConditions(Conditions.set(List.of(), "Admitted", true, TrainingReason.Admitted, "admitted",
          Instant.parse("2025-03-01T10:00:00Z"), 1));
    }
    job.setStatus(status);
    return job;
  }

  @Test
  void oldestFirstWhateverTheListOrder() {
    TrainingJob newer = job("newer", "2025-03-01T10:05:00Z", 3);
    TrainingJob older = job("older", "2025-03-01T10:00:00Z", 3);
    Map<String, AdmissionDecision> d = TrainingAdmission.decide(List.of(newer, older), HOST);
    assertEquals(AdmissionDecision.admitted(), d.get("TrainingJob team-a/older"));
    assertEquals("waiting for capacity: cpu 3 > 1 free", ((AdmissionDecision.Waiting) d.get("TrainingJob team-a/newer")).reason());
  }

  @Test
  void anAdmittedJobKeepsItsCapacityAgainstOlderPendingOnes() {
    TrainingJob older = job("older", "2025-03-01T10:00:00Z", 2);
    TrainingJob running = withState(job("running", "2025-03-01T10:05:00Z", 3), TrainingJobState.Running, true);
    Map<String, AdmissionDecision> d = TrainingAdmission.decide(List.of(older, running), HOST);
    assertEquals(AdmissionDecision.admitted(), d.get("TrainingJob team-a/running"));
    assertEquals(AdmissionDecision.Waiting.class, d.get("TrainingJob team-a/older").getClass());
  }

  @Test
  void finishedAndSuspendedJobsHoldNothing() {
    TrainingJob done = withState(job("done", "2025-03-01T10:00:00Z", 4), TrainingJobState.Succeeded, false);
    TrainingJob suspended = TrainingJobs.pytorch("paused").requests("{cpu: 1}").replicas("worker", 4)
        .runPolicy("suspend: true").created("2025-03-01T10:01:00Z").build();
    TrainingJob next = job("next", "2025-03-01T10:02:00Z", 4);
    Map<String, AdmissionDecision> d = TrainingAdmission.decide(List.of(done, suspended, next), HOST);
    assertEquals(Map.of("TrainingJob team-a/next", AdmissionDecision.admitted()), d);
  }

  @Test
  void aResumedJobQueuesAgainBecauseSuspendingReleasedItsAdmission() {
    TrainingRun run = new TrainingRun(TrainingJobs.pytorch("ddp").requests("{cpu: 1}").replicas("worker", 3));
    run.pass();
    run.edit(TrainingJobs.pytorch("ddp").requests("{cpu: 1}").replicas("worker", 3).runPolicy("suspend: true")).pass();
    TrainingJob resumed = TrainingJobs.pytorch("ddp").requests("{cpu: 1}").replicas("worker", 3)
        .created("2025-03-01T10:00:00Z").build();
    resumed.setStatus(run.status());
    TrainingJob other = withState(job("other", "2025-03-01T10:10:00Z", 2), TrainingJobState.Running, true);

    Map<String, AdmissionDecision> d = TrainingAdmission.decide(List.of(resumed, other), HOST);
    assertEquals("waiting for capacity: cpu 3 > 2 free", ((AdmissionDecision.Waiting) d.get("TrainingJob team-a/ddp")).reason());
  }

  @Test
  void tooLargeForTheHostIsRejected() {
    Map<String, AdmissionDecision> d = TrainingAdmission.decide(List.of(job("huge", "2025-03-01T10:00:00Z", 5)), HOST);
    assertEquals(AdmissionDecision.Rejected.class, d.get("TrainingJob team-a/huge").getClass());
  }

  @Test
  void anInvalidJobGetsNoDecision() {
    TrainingJob bad = job("bad", "2025-03-01T10:00:00Z", 1);
    bad.getSpec().setFramework("pytorh");
    assertFalse(TrainingAdmission.decide(List.of(bad), HOST).containsKey("TrainingJob team-a/bad"));
  }

  @Test
  void aFinishedJobWithANewerSpecCompetesForCapacityAgain() {
    TrainingJob running = withState(job("running", "2025-03-01T09:00:00Z", 3), TrainingJobState.Running, true);
    TrainingJob failed = withState(job("failed", "2025-03-01T10:00:00Z", 2), TrainingJobState.Failed, false);
    failed.getStatus().setObservedGeneration(1L);
    failed.getMetadata().setGeneration(2L);

    Map<String, AdmissionDecision> d = TrainingAdmission.decide(List.of(running, failed), HOST);
    assertEquals("waiting for capacity: cpu 2 > 1 free", ((AdmissionDecision.Waiting) d.get("TrainingJob team-a/failed")).reason());
  }

  @Test
  void aFinishedJobBeingDeletedDoesNotCompeteEvenWithANewerSpec() {
    TrainingJob running = withState(job("running", "2025-03-01T09:00:00Z", 3), TrainingJobState.Running, true);
    TrainingJob failed = withState(job("failed", "2025-03-01T10:00:00Z", 2), TrainingJobState.Failed, false);
    failed.getStatus().setObservedGeneration(1L);
    failed.getMetadata().setGeneration(2L);
    failed.getMetadata().setDeletionTimestamp("2025-03-01T10:05:00Z");

    Map<String, AdmissionDecision> d = TrainingAdmission.decide(List.of(running, failed), HOST);
    assertFalse(d.containsKey("TrainingJob team-a/failed"), "a job being deleted is not re-run, so it asks for nothing");
  }

  @Test
  void aJobThatFitsTheHostWaitsWhileOthersHoldPartOfItAndIsNeverRefused() {
    TrainingJob job = job("fits", "2025-03-01T10:00:00Z", 3);
    ResourceList host = ResourceList.from(HOST);
    ResourceList serving = ResourceList.of("cpu", 2000L);
    AdmissionDecision held = TrainingAdmission.schedule(List.of(job), QueueStore.Setup.NONE,
        Capacity.host(host, serving), Instant.EPOCH, SchedulerPolicy.LOCAL)
        .decisions().get("TrainingJob team-a/fits");
    assertEquals(AdmissionDecision.Waiting.class, held.getClass(), String.valueOf(held));
    AdmissionDecision freed = TrainingAdmission.schedule(List.of(job), QueueStore.Setup.NONE,
        Capacity.host(host, ResourceList.EMPTY), Instant.EPOCH,
        SchedulerPolicy.LOCAL).decisions().get("TrainingJob team-a/fits");
    assertEquals(AdmissionDecision.admitted(), freed);
  }

  @Test
  void anAdmittedJobIsCountedOnTheNodesItsPlacementNames() {
    Capacity nodes = new Capacity(List.of(new Capacity.Node("n1", ResourceList.of("cpu", 2000L)),
        new Capacity.Node("n2", ResourceList.of("cpu", 2000L))), java.util.Set.of("cpu"));
    TrainingJob a = withState(job("a", "2025-03-01T10:00:00Z", 1), TrainingJobState.Running, true);
    TrainingJob b = withState(job("b", "2025-03-01T10:01:00Z", 1), TrainingJobState.Running, true);
    TrainingJob whole = TrainingJobs.pytorch("whole").requests("{cpu: 2, memory: 1Gi}").replicas("worker", 1)
        .created("2025-03-01T10:02:00Z").build();
    AdmissionDecision unplaced = TrainingAdmission.schedule(List.of(a, b, whole), QueueStore.Setup.NONE, nodes, Instant.EPOCH,
        SchedulerPolicy.CLUSTER).decisions().get("TrainingJob team-a/whole");
    assertEquals(AdmissionDecision.admitted(), unplaced, "without a placement a and b are counted together on n1");
    a.getStatus().setPlacement(Map.of("worker-0", "n1"));
    b.getStatus().setPlacement(Map.of("worker-0", "n2"));
    AdmissionDecision placed = TrainingAdmission.schedule(List.of(a, b, whole), QueueStore.Setup.NONE, nodes, Instant.EPOCH,
        SchedulerPolicy.CLUSTER).decisions().get("TrainingJob team-a/whole");
    assertEquals(AdmissionDecision.Waiting.class, placed.getClass(), "a and b hold half of each node: " + placed);
  }
}
