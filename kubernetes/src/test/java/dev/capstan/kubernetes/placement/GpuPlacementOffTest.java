package dev.capstan.kubernetes.placement;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.capstan.api.codec.Manifests;
import dev.capstan.api.training.TrainingJob;
import dev.capstan.api.training.TrainingJobStatus;
import dev.capstan.core.queue.AdmissionDecision;
import dev.capstan.core.queue.SchedulingResult;
import dev.capstan.core.training.TrainingAdmission;
import dev.capstan.kubernetes.Jobs;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cycle's placement with CAPSTAN_GPU_PLACEMENT=false, on objects made by hand. */
class GpuPlacementOffTest {
  private static final GpuPlacement OFF = new GpuPlacement(new PlacementSettings(false, Duration.ofSeconds(120)));

  @Test
  void noJobIsPlacedButAPinOnANodeThatWentIsStillDropped() {
    TrainingJob fresh = job("fresh", null);
    TrainingJob pinned = job("pinned", Map.of("master-0", "gpu-a", "worker-0", "gpu-gone"));
    SchedulingResult result = new SchedulingResult(Map.of(
        TrainingAdmission.key(fresh), new AdmissionDecision.Admitted("default"),
        TrainingAdmission.key(pinned), new AdmissionDecision.Admitted("default")), Map.of(), List.of());

    Map<String, Map<String, String>> decided = OFF.decide(List.of(fresh, pinned), result,
        List.of(GpuNodes.node("gpu-a", "32", "256Gi", 8)), List.of(), Instant.now());

    assertEquals(Map.of(TrainingAdmission.key(pinned), Map.of("master-0", "gpu-a")), decided,
        "the fresh job is left to kube-scheduler; worker-0 would otherwise wait for gpu-gone for ever");
  }

  /** A job asking for GPUs, admitted with {@code placement} when it has one, else not admitted yet. */
  private static TrainingJob job(String name, Map<String, String> placement) {
    TrainingJob job = (TrainingJob) Manifests.toResource(Manifests.parseDocuments(Jobs.pytorchGpus("ml", name, 1, 1, 1), "t").get(0));
    TrainingJobStatus status = new TrainingJobStatus();
    status.setConditions(new ArrayList<>());
    if (placement != null) {
      status.getConditions().add(new ConditionBuilder().withType("Admitted").withStatus("True").withReason("Admitted").build());
      status.setPlacement(placement);
    }
    job.setStatus(status);
    return job;
  }
}
