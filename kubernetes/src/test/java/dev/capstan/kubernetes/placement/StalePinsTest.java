package dev.capstan.kubernetes.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which pins of an admitted job hold, with pods made by hand. */
class StalePinsTest {
  private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
  private static final Map<String, String> PINS = Map.of("master-0", "gpu-a", "worker-0", "gpu-b", "worker-1", "gpu-c");

  @Test
  void aPinWhosePodWaitsUnreportedOrIsNotMadeHoldsEvenWithAZeroGrace() {
    Map<String, Pod> pods = Map.of("master-0", waiting("m"), "worker-1", unschedulable("w1", null));
    for (Duration grace : new Duration[] {Duration.ZERO, Duration.ofSeconds(120)}) {
      Map<String, String> kept = new StalePins(grace).kept("job", PINS, Set.of("gpu-a", "gpu-b", "gpu-c"), pods::get, NOW);
      assertEquals(grace.isZero() ? Map.of("master-0", "gpu-a", "worker-0", "gpu-b") : PINS, kept,
          "only a pod kube-scheduler reported unschedulable can lose its pin (grace " + grace + ")");
    }
  }

  @Test
  void aPinIsDroppedAfterTheGraceOrWhenItsNodeGoesUnlessItsPodIsBound() {
    Map<String, Pod> pods = Map.of(
        "master-0", unschedulable("m", NOW.minusSeconds(119)),
        "worker-0", unschedulable("w0", NOW.minusSeconds(120)),
        "worker-1", GpuNodes.boundPod("ml", "w1", "gpu-c", "1", "1Gi", 1));
    StalePins pins = new StalePins(Duration.ofSeconds(120));

    assertEquals(Map.of("master-0", "gpu-a", "worker-1", "gpu-c"), pins.kept("job", PINS, Set.of("gpu-a", "gpu-b"), pods::get, NOW),
        "worker-0 waited the grace; worker-1 runs on gpu-c, gone or not");
    assertEquals(Map.of("worker-0", "gpu-b", "worker-1", "gpu-c"), pins.kept("job", PINS, Set.of("gpu-b", "gpu-c"), pods::get,
        NOW.minusSeconds(1)), "gpu-a is gone");
  }

  private static Pod waiting(String name) {
    return new PodBuilder(GpuNodes.boundPod("ml", name, null, "1", "1Gi", 1)).editStatus().withPhase("Pending").endStatus().build();
  }

  private static Pod unschedulable(String name, Instant since) {
    return new PodBuilder(waiting(name)).editStatus().addToConditions(new PodConditionBuilder().withType("PodScheduled")
        .withStatus("False").withReason("Unschedulable").withLastTransitionTime(since == null ? null : since.toString()).build())
        .endStatus().build();
  }
}
