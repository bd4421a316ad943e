package dev.capstan.core.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.capstan.api.training.TrainingJobs;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Gang admission against a fixed capacity, on one snapshot. */
class CapacityAdmissionTest {
  private static final long GI = 1024L * 1024 * 1024;
  /** 4 CPUs, 8 GiB, 1 GPU. */
  private static final ResourceAmounts HOST = new ResourceAmounts(4000, 8 * GI, 1);

  private static Workload job(String name, long cpuMillis, long memGi, long gpus) {
    return new Workload("TrainingJob team-a/" + name, new ResourceAmounts(cpuMillis, memGi * GI, gpus));
  }

  @Test
  void aJobThatFitsIsAdmitted() {
    assertEquals(Map.of("TrainingJob team-a/a", AdmissionDecision.admitted()),
        CapacityAdmission.decide(HOST, List.of(), List.of(job("a", 4000, 8, 1))));
  }

  @Test
  void aJobThatDoesNotFitNowWaitsAndTheReasonNamesTheResource() {
    Map<String, AdmissionDecision> d = CapacityAdmission.decide(HOST,
        List.of(job("running", 3000, 2, 0)), List.of(job("a", 2000, 1, 0)));
    assertEquals(new AdmissionDecision.Waiting("waiting for capacity: cpu 2 > 1 free"), d.get("TrainingJob team-a/a"));

    Map<String, AdmissionDecision> memory = CapacityAdmission.decide(HOST,
        List.of(job("running", 500, 7, 0)), List.of(job("a", 500, 2, 0)));
    assertEquals(new AdmissionDecision.Waiting("waiting for capacity: memory 2Gi > 1Gi free"), memory.get("TrainingJob team-a/a"));

    Map<String, AdmissionDecision> gpu = CapacityAdmission.decide(HOST,
        List.of(job("running", 500, 1, 1)), List.of(job("a", 500, 1, 1)));
    assertEquals(new AdmissionDecision.Waiting("waiting for capacity: nvidia.com/gpu 1 > 0 free"), gpu.get("TrainingJob team-a/a"));
  }

  @Test
  void aJobLargerThanTheWholeCapacityIsRejected() {
    Map<String, AdmissionDecision> d = CapacityAdmission.decide(HOST, List.of(), List.of(job("huge", 6500, 4, 2)));
    assertEquals(new AdmissionDecision.Rejected(
        "the job needs more than this machine has in all: cpu 6500m > 4, nvidia.com/gpu 2 > 1"), d.get("TrainingJob team-a/huge"));
  }

  @Test
  void bestEffortFifoLetsSmallerJobsPastOneThatWaits() {
    Map<String, AdmissionDecision> d = CapacityAdmission.decide(HOST, List.of(job("running", 2000, 1, 0)),
        List.of(job("big", 3000, 1, 0), job("small", 1000, 1, 0), job("next", 1500, 1, 0)));
    assertEquals(List.of("TrainingJob team-a/big", "TrainingJob team-a/small", "TrainingJob team-a/next"), List.copyOf(d.keySet()));
    assertEquals(AdmissionDecision.Waiting.class, d.get("TrainingJob team-a/big").getClass());
    assertEquals(AdmissionDecision.admitted(), d.get("TrainingJob team-a/small"));
    assertEquals(AdmissionDecision.Waiting.class, d.get("TrainingJob team-a/next").getClass());
  }

  @Test
  void olderPendingJobsAreAdmittedFirst() {
    Map<String, AdmissionDecision> d = CapacityAdmission.decide(HOST, List.of(),
        List.of(job("first", 2000, 1, 0), job("second", 2000, 1, 0), job("third", 2000, 1, 0)));
    assertEquals(AdmissionDecision.admitted(), d.get("TrainingJob team-a/first"));
    assertEquals(AdmissionDecision.admitted(), d.get("TrainingJob team-a/second"));
    assertEquals(new AdmissionDecision.Waiting("waiting for capacity: cpu 2 > 0 free"), d.get("TrainingJob team-a/third"));
  }

  @Test
  void admittedJobsHoldTheirCapacity() {
    Map<String, AdmissionDecision> d = CapacityAdmission.decide(HOST,
        List.of(job("a", 2000, 4, 0), job("b", 2000, 4, 1)), List.of(job("c", 1, 0, 0)));
    assertEquals(AdmissionDecision.Waiting.class, d.get("TrainingJob team-a/c").getClass());
    assertEquals(1, d.size(), "decisions only for pending workloads");
  }

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
