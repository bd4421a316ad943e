package dev.capstan.core.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.api.training.TrainingJob;
import dev.capstan.api.training.TrainingJobStatus;
import dev.capstan.api.training.TrainingJobs;
import dev.capstan.core.queue.AdmissionDecision;
import dev.capstan.core.queue.Capacity;
import dev.capstan.core.queue.Eviction;
import dev.capstan.core.queue.PreemptionReason;
import dev.capstan.core.queue.ResourceList;
import dev.capstan.core.queue.Shortfall;
import dev.capstan.core.status.Conditions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a cycle's decision writes on a job's status, and the same decision read back from it. */
class AdmissionRecordTest {
  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

  private static TrainingJob queuedJob() {
    TrainingJob job = TrainingJobs.pytorch("a").requests("{cpu: 1, memory: 1Gi}").replicas("worker", 2).created(T0.toString()).build();
    TrainingJobStatus status = new TrainingJobStatus();
    status.setState(TrainingJobState.Queued.name());
    job.setStatus(status);
    return job;
  }

  @Test
  void eachDecisionReadsBackAsWrittenAndWritingItAgainChangesNothing() {
    TrainingJob job = queuedJob();
    List<AdmissionDecision> decisions = List.of(
        new AdmissionDecision.Waiting("research", 2, List.of(new Shortfall(Shortfall.Kind.QuotaExceeded, "cpu", 4000, 1000))),
        new AdmissionDecision.Admitted("research"),
        new AdmissionDecision.Preempted("research", new Eviction(Optional.of("TrainingJob b/high"), PreemptionReason.CohortReclaim,
            "preempted by TrainingJob b/high (priority 100): Queue prod reclaims the quota Queue research borrowed")));
    for (AdmissionDecision decision : decisions) {
      TrainingJobStatus written = AdmissionRecord.recorded(job, decision, T0).orElseThrow();
      job.setStatus(written);
      AdmissionDecision read = AdmissionRecord.read(written);
      assertEquals(decision.getClass(), read.getClass(), decision + " read back as " + read);
      assertEquals(Optional.empty(), AdmissionRecord.recorded(job, decision, T0.plusSeconds(5)), "written once");
    }
    AdmissionDecision.Preempted preempted = assertInstanceOf(AdmissionDecision.Preempted.class, AdmissionRecord.read(job.getStatus()));
    assertEquals(PreemptionReason.CohortReclaim, preempted.eviction().reason());
    assertEquals("research", preempted.queue());
  }

  @Test
  void aPlacementIsRecordedWithTheAdmissionAndGoesWithItsRelease() {
    TrainingJob job = queuedJob();
    Map<String, String> nodes = Map.of("worker-0", "gpu-b", "worker-1", "gpu-c");
    AdmissionDecision admitted = new AdmissionDecision.Admitted("default");
    assertEquals(Optional.empty(), AdmissionRecord.recorded(job, new AdmissionDecision.Waiting("default", 1, List.of()),
        Optional.of(nodes), T0).map(TrainingJobStatus::getPlacement), "only an admission records one");
    TrainingJobStatus written = AdmissionRecord.recorded(job, admitted, Optional.of(nodes), T0).orElseThrow();
    assertEquals(nodes, written.getPlacement());
    job.setStatus(written);
    assertEquals(nodes, AdmissionRecord.placement(job.getStatus()));
    assertEquals(Optional.empty(), AdmissionRecord.recorded(job, admitted, Optional.empty(), T0.plusSeconds(1)), "kept as recorded");
    assertEquals(Optional.empty(), AdmissionRecord.recorded(job, admitted, Optional.of(nodes), T0.plusSeconds(1)), "written once");

    TrainingJobStatus fewer = AdmissionRecord.recorded(job, admitted, Optional.of(Map.of("worker-1", "gpu-c")), T0.plusSeconds(2))
        .orElseThrow();
    assertEquals(Map.of("worker-1", "gpu-c"), fewer.getPlacement(), "a pin dropped");
    TrainingJobStatus none = AdmissionRecord.recorded(job, admitted, Optional.of(Map.of()), T0.plusSeconds(2)).orElseThrow();
    assertEquals(null, none.getPlacement(), "an empty placement records none");

    StatusDraft release = new StatusDraft(written, dev.capstan.api.training.TrainingJobModel.from(job), T0.plusSeconds(3));
    release.clear(StatusDraft.ADMITTED, TrainingReason.Preempted, "capacity released: the job was preempted");
    TrainingJobStatus released = release.build();
    assertEquals(null, released.getPlacement(), "a re-admission places afresh");
    assertEquals(Map.of(), AdmissionRecord.placement(released));
    written.getConditions().clear();
    assertEquals(Map.of(), AdmissionRecord.placement(written), "a placement counts only while the job is admitted");
  }

  @Test
  void aWaitKeepsItsTypedReasonPositionAndMessage() {
    TrainingJob job = queuedJob();
    TrainingJobStatus written = AdmissionRecord.recorded(job, new AdmissionDecision.Waiting("", 0,
        List.of(Shortfall.about(Shortfall.Kind.QueueNotFound, "nowhere"))), T0).orElseThrow();
    var queued = Conditions.find(written.getConditions(), "Queued").orElseThrow();
    assertEquals("QueueNotFound", queued.getReason());
    assertEquals("no Queue named 'nowhere'", queued.getMessage());
    AdmissionDecision.Waiting read = assertInstanceOf(AdmissionDecision.Waiting.class, AdmissionRecord.read(written));
    assertEquals("no Queue named 'nowhere'", read.reason());
  }

  @Test
  void nothingIsWrittenOnAJobNotYetRecordedFinishedOrBeingDeleted() {
    TrainingJob fresh = queuedJob();
    fresh.setStatus(null);
    assertEquals(Optional.empty(), AdmissionRecord.recorded(fresh, new AdmissionDecision.Admitted("default"), T0));
    TrainingJob done = queuedJob();
    done.getStatus().setState(TrainingJobState.Succeeded.name());
    assertEquals(Optional.empty(), AdmissionRecord.recorded(done, new AdmissionDecision.Admitted("default"), T0));
    TrainingJob deleting = queuedJob();
    deleting.getMetadata().setDeletionTimestamp(T0.toString());
    assertEquals(Optional.empty(), AdmissionRecord.recorded(deleting, new AdmissionDecision.Admitted("default"), T0));
  }

  @Test
  void aJobNoCycleDecidedOnWaits() {
    assertTrue(AdmissionRecord.read(null) instanceof AdmissionDecision.Waiting w && w.reason().equals(AdmissionRecord.NOT_YET_DECIDED));
  }

  @Test
  void aGangLargerThanTheWholeCapacityNeverFits() {
    var model = TrainingJobs.pytorch("big").requests("{cpu: 3, memory: 1Gi}").replicas("worker", 2).model();
    Capacity host = Capacity.host(ResourceList.of("cpu", 4000L, "memory", 8L << 30, "nvidia.com/gpu", 0L));
    AdmissionDecision.Rejected r = TrainingAdmission.neverFits(model, host).orElseThrow();
    assertTrue(r.reason().startsWith("the job needs more than this machine has in all: cpu 6 > 4"), r.reason());
    var small = TrainingJobs.pytorch("small").requests("{cpu: 1, memory: 1Gi}").replicas("worker", 2).model();
    assertEquals(Optional.empty(), TrainingAdmission.neverFits(small, host));
  }
}
