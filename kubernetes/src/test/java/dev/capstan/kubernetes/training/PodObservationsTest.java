package dev.capstan.kubernetes.training;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.capstan.api.training.ReplicaId;
import dev.capstan.core.training.ReplicaLabels;
import dev.capstan.core.training.ReplicaObservation;
import dev.capstan.core.training.ReplicaPhase;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

class PodObservationsTest {
  private static final ReplicaId WORKER = new ReplicaId("worker", 0);

  @Test
  void aTerminatingPodOfAnOlderAttemptIsAReplicaWaitingForItsNewPod() {
    ReplicaObservation seen = PodObservations.observe(WORKER, pod(0, "Running", "2026-11-30T00:00:00Z"), 1, "main");
    assertEquals(ReplicaPhase.Pending, seen.phase());
    assertEquals(1, seen.attempt());
  }

  @Test
  void aLivePodOfAnOlderAttemptIsReportedAsItIsSoTheReplicaIsNotHiddenForEver() {
    // the service records attempt 1, but the pass that recorded it lost its status write and a
    // later pass created the pod at attempt 0
    ReplicaObservation seen = PodObservations.observe(WORKER, pod(0, "Running", null), 1, "main");
    assertEquals(ReplicaPhase.Running, seen.phase());
    assertEquals(0, seen.attempt());
  }

  private static Pod pod(int attempt, String phase, String deletionTimestamp) {
    return new PodBuilder().withNewMetadata().withName("j-worker-0").withDeletionTimestamp(deletionTimestamp)
        .addToLabels(ReplicaLabels.CAPSTAN_ATTEMPT, Integer.toString(attempt)).endMetadata()
        .withNewStatus().withPhase(phase).endStatus().build();
  }
}
