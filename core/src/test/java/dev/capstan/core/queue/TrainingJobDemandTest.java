package dev.capstan.core.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.capstan.api.training.TrainingJobs;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A training job's whole demand, and the shortfalls between amounts. */
class TrainingJobDemandTest {
  private static final long GI = 1024L * 1024 * 1024;
  /** 4 CPUs, 8 GiB, 1 GPU. */
  private static final ResourceAmounts HOST = new ResourceAmounts(4000, 8 * GI, 1);

  @Test
  void demandIsEachGroupsRequestTimesItsCount() {
    var model = TrainingJobs.pytorch("ddp")
        .requests("{cpu: 500m, memory: 512Mi, nvidia.com/gpu: 1}").replicas("master", 1)
        .requests("{cpu: 2, memory: 1Gi}").replicas("worker", 3)
        .model();
    assertEquals(new ResourceAmounts(6500, 512L * 1024 * 1024 + 3 * GI, 1), TrainingJobDemand.of(model));
  }

  @Test
  void limitsCountWhereNoRequestIsGiven() {
    var model = TrainingJobs.pytorch("ddp").replicas("worker", 1).model();
    assertEquals(ResourceAmounts.ZERO, TrainingJobDemand.of(model));

    var limited = dev.capstan.api.codec.Manifests.parseDocuments("""
        apiVersion: capstan.dev/v1alpha1
        kind: TrainingJob
        metadata: {name: ddp}
        spec:
          framework: pytorch
          replicas:
            worker:
              count: 2
              template:
                spec:
                  containers:
                  - name: pytorch
                    resources: {requests: {cpu: 1}, limits: {cpu: 3, memory: 2Gi}}
                  - name: sidecar
                    resources: {limits: {cpu: 250m}}
        """, "x").get(0);
    var job = dev.capstan.api.training.TrainingJobModel.from(
        (dev.capstan.api.training.TrainingJob) dev.capstan.api.codec.Manifests.toResource(limited));
    assertEquals(new ResourceAmounts(2500, 4 * GI, 0), TrainingJobDemand.of(job));
  }

  @Test
  void shortfallsNameEveryResourceThatIsShort() {
    assertEquals(List.of("cpu 1500m > 1", "memory 3Gi > 512Mi", "nvidia.com/gpu 2 > 0"),
        new ResourceAmounts(1500, 3 * GI, 2).shortfalls(new ResourceAmounts(1000, 512L * 1024 * 1024, -1)));
    assertEquals(List.of(), HOST.shortfalls(HOST));
  }
}
