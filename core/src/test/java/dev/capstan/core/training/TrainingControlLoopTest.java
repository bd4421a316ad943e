package dev.capstan.core.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.api.training.TrainingJobs;
import dev.capstan.core.queue.ResourceAmounts;
import dev.capstan.core.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** One job whose reconcile throws is isolated and backs off; the others go on. */
class TrainingControlLoopTest {
  private final TestingTrainingJobStore store = new TestingTrainingJobStore();
  private final TestingReplicaBackend backend = new TestingReplicaBackend();
  private final List<String> events = new ArrayList<>();
  private Instant now = TrainingRun.T0;
  private final TrainingJobController controller = new TrainingJobController(store, backend,
      (object, type, reason, message) -> events.add(type + " " + object + " " + reason), () -> now);
  private final TrainingControlLoop loop = new TrainingControlLoop(store, controller,
      () -> new ResourceAmounts(64_000, 1L << 40, 0), () -> now);

  TrainingControlLoopTest() {
    store.put(TrainingJobs.pytorch("bad").replicas("worker", 1).created("2025-03-01T09:00:00Z").build());
    store.put(TrainingJobs.pytorch("good").replicas("worker", 2).created("2025-03-01T09:01:00Z").build());
  }

  private Condition stalled(String job) {
    return Conditions.find(store.get(job).getStatus().getConditions(), "Stalled")
        .orElseThrow(() -> new AssertionError("no Stalled condition on " + job));
  }

  @Test
  void anOutOfMemoryErrorInOneJobLeavesTheOthersRunning() {
    backend.failApplyFor("bad", () -> new OutOfMemoryError("Java heap space"));

    Optional<Duration> next = loop.pass();
    loop.pass();
    assertEquals("Running", store.get("good").getStatus().getState());
    assertEquals(2, backend.replicas("good").size());
    assertEquals("True", stalled("bad").getStatus());
    assertEquals(TrainingReason.ReconcileError.name(), stalled("bad").getReason());
    assertTrue(stalled("bad").getMessage().contains("java.lang.OutOfMemoryError: Java heap space"), stalled("bad").getMessage());
    assertTrue(events.contains("Warning TrainingJob team-a/bad ReconcileError"), events.toString());
    assertEquals(Optional.of(Duration.ofSeconds(1)), next, "the loop comes back when the failed job's backoff ends");
  }

  @Test
  void aFailingJobBacksOffExponentiallyAndRecovers() {
    backend.failApplyFor("bad", () -> new IllegalStateException("boom"));
    loop.pass();
    assertEquals(1, backend.applyCalls("bad"));

    loop.pass();
    assertEquals(1, backend.applyCalls("bad"), "not tried again within its first second of backoff");
    now = now.plusSeconds(1);
    loop.pass();
    assertEquals(2, backend.applyCalls("bad"));
    now = now.plusSeconds(1);
    loop.pass();
    assertEquals(2, backend.applyCalls("bad"), "the second failure waits two seconds");
    assertTrue(stalled("bad").getMessage().startsWith("reconcile failed (2 times in a row; next try in 2s)"), stalled("bad").getMessage());

    backend.stopFailing("bad");
    now = now.plusSeconds(1);
    loop.pass();
    assertEquals(3, backend.applyCalls("bad"));
    assertEquals("False", stalled("bad").getStatus());
    assertEquals(TrainingReason.Reconciled.name(), stalled("bad").getReason());
    assertEquals(1, backend.replicas("bad").size());
  }

  @Test
  void aNewGenerationIsTriedAtOnce() {
    backend.failApplyFor("bad", () -> new IllegalStateException("boom"));
    loop.pass();
    backend.stopFailing("bad");
    store.get("bad").getMetadata().setGeneration(2L);

    loop.pass();
    assertEquals(2, backend.applyCalls("bad"));
    assertEquals("False", stalled("bad").getStatus());
  }
}
