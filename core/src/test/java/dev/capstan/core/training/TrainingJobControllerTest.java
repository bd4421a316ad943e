package dev.capstan.core.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.api.training.TrainingJob;
import dev.capstan.api.training.TrainingJobs;
import dev.capstan.core.ports.EventSink;
import dev.capstan.core.queue.AdmissionDecision;
import dev.capstan.core.queue.ResourceAmounts;
import dev.capstan.core.status.Conditions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The reconcile pass over its ports: observe → validate → plan → apply → status. */
class TrainingJobControllerTest {
  private final TestingTrainingJobStore store = new TestingTrainingJobStore();
  private final TestingReplicaBackend backend = new TestingReplicaBackend();
  private final List<String> events = new ArrayList<>();
  private Instant now = TrainingRun.T0;
  private final TrainingJobController controller = new TrainingJobController(store, backend,
      (object, type, reason, message) -> events.add(type + " " + object + " " + reason), () -> now);

  private Optional<Duration> reconcile(String name, AdmissionDecision admission) {
    return controller.reconcile(store.list().stream().filter(j -> j.getMetadata().getName().equals(name))
        .findFirst().orElseThrow(), admission);
  }

  @Test
  void startsTheGangRecordsStatusAndEmitsEventsOnStateChanges() {
    store.put(TrainingJobs.pytorch("ddp").replicas("master", 1).replicas("worker", 1).build());

    reconcile("ddp", AdmissionDecision.admitted());
    assertEquals(2, backend.replicas().size());
    assertEquals("Starting", store.get("ddp").getStatus().getState());

    reconcile("ddp", AdmissionDecision.admitted());
    assertEquals("Running", store.get("ddp").getStatus().getState());
    assertEquals(List.of("Normal TrainingJob team-a/ddp Starting", "Normal TrainingJob team-a/ddp Running"), events);
  }

  @Test
  void statusIsWrittenOnlyWhenItChanged() {
    store.put(TrainingJobs.pytorch("ddp").replicas("worker", 2).build());
    reconcile("ddp", AdmissionDecision.admitted());
    reconcile("ddp", AdmissionDecision.admitted());
    int writes = store.statusWrites();

    now = now.plusSeconds(60);
    reconcile("ddp", AdmissionDecision.admitted());
    reconcile("ddp", AdmissionDecision.admitted());
    assertEquals(writes, store.statusWrites());
  }

  @Test
  void anInvalidSpecFailsTheJobAndStopsWhatRuns() {
    store.put(TrainingJobs.pytorch("ddp").replicas("worker", 2).build());
    reconcile("ddp", AdmissionDecision.admitted());
    store.get("ddp").getSpec().getReplicas().get("worker").setRestartPolicy("Sometimes");

    reconcile("ddp", AdmissionDecision.admitted());
    TrainingJob job = store.get("ddp");
    assertEquals(List.of(), List.copyOf(backend.replicas().keySet()));
    assertEquals("Failed", job.getStatus().getState());
    var failed = Conditions.find(job.getStatus().getConditions(), "Failed").orElseThrow();
    assertEquals(TrainingReason.InvalidSpec.name(), failed.getReason());
    assertTrue(failed.getMessage().startsWith("spec.replicas.worker.restartPolicy: "), failed.getMessage());
    assertTrue(events.contains("Warning TrainingJob team-a/ddp Failed"), events.toString());
  }

  @Test
  void ttlRemovesTheJobFromTheStore() {
    store.put(TrainingJobs.pytorch("ddp").replicas("worker", 1).runPolicy("ttlSecondsAfterFinished: 30").build());
    reconcile("ddp", AdmissionDecision.admitted());
    backend.exit("worker-0", 0);
    assertEquals(Optional.of(Duration.ofSeconds(30)), reconcile("ddp", AdmissionDecision.admitted()));

    now = now.plusSeconds(30);
    reconcile("ddp", AdmissionDecision.admitted());
    assertNull(store.get("ddp"));
  }

  @Test
  void theControlLoopAdmitsWhatFitsAndQueuesTheRest() {
    store.put(TrainingJobs.pytorch("first").requests("{cpu: 2}").replicas("worker", 2).created("2025-03-01T09:00:00Z").build());
    store.put(TrainingJobs.pytorch("second").requests("{cpu: 2}").replicas("worker", 1).created("2025-03-01T09:01:00Z").build());
    TrainingControlLoop loop = new TrainingControlLoop(store, controller, () -> new ResourceAmounts(5000, 1L << 34, 0), () -> now);

    loop.pass();
    assertEquals("Starting", store.get("first").getStatus().getState());
    assertEquals("Queued", store.get("second").getStatus().getState());
    assertEquals("waiting for capacity: cpu 2 > 1 free", store.get("second").getStatus().getMessage());

    loop.pass();
    assertEquals("Queued", store.get("second").getStatus().getState(), "the running job still holds its capacity");
    assertEquals(2, backend.replicas("first").size());
    assertEquals(0, backend.replicas("second").size());
  }

  @Test
  void everyRestartEmitsItsOwnEvent() {
    store.put(TrainingJobs.pytorch("ddp").replicas("worker", 1, "OnFailure").build());
    reconcile("ddp", AdmissionDecision.admitted());
    reconcile("ddp", AdmissionDecision.admitted());
    backend.exit("worker-0", 1);
    reconcile("ddp", AdmissionDecision.admitted());
    backend.exit("worker-0", 1);
    reconcile("ddp", AdmissionDecision.admitted());

    assertEquals("Restarting", store.get("ddp").getStatus().getState());
    assertEquals(2, store.get("ddp").getStatus().getRestartCount());
    assertEquals(2, events.stream().filter(e -> e.equals("Warning TrainingJob team-a/ddp Restarting")).count(), events.toString());
  }

  @Test
  void fixingTheSpecOfAnInvalidJobRunsItAgain() {
    store.put(TrainingJobs.pytorch("ddp").replicas("worker", 1, "Sometimes").build());
    reconcile("ddp", AdmissionDecision.admitted());
    assertEquals("Failed", store.get("ddp").getStatus().getState());

    TrainingJob fixed = TrainingJobs.pytorch("ddp").replicas("worker", 1).generation(2).build();
    fixed.setStatus(store.get("ddp").getStatus());
    store.put(fixed);
    reconcile("ddp", AdmissionDecision.admitted());
    assertEquals("Created", store.get("ddp").getStatus().getState());
    assertEquals(2L, store.get("ddp").getStatus().getObservedGeneration());
    reconcile("ddp", AdmissionDecision.admitted());
    assertEquals("Starting", store.get("ddp").getStatus().getState());
    assertEquals(0, backend.get("worker-0").attempt());
    assertEquals("False", Conditions.find(store.get("ddp").getStatus().getConditions(), "Failed").map(c -> c.getStatus()).orElse("False"));
  }
}
