package dev.capstan.api.training;

import static dev.capstan.api.training.TrainingJobValidationTest.assertRejected;
import static dev.capstan.api.training.TrainingJobValidationTest.assertRejectedYaml;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Every size, count and quantity a user gives is bounded, and a value past it names its path. */
class TrainingJobLimitsTest {
  private static String container(String fields) {
    return """
        metadata: {name: ddp}
        spec:
          framework: pytorch
          replicas:
            worker:
              template:
                spec:
                  containers:
                  - name: pytorch
        """ + fields.indent(12);
  }

  @Test
  void aBillionReplicasIsRefusedBeforeAnythingIsBuilt() {
    assertRejected(TrainingJobs.pytorch("big").replicas("worker", 1_000_000_000), "spec.replicas.worker.count",
        "at most " + TrainingJobLimits.MAX_REPLICAS_PER_GROUP + " (is 1000000000)");
  }

  @Test
  void replicasAreBoundedPerJobAsWellAsPerGroup() {
    TrainingJobs job = TrainingJobs.job("many", "generic");
    IntStream.range(0, 3).forEach(i -> job.replicas("r" + i, TrainingJobLimits.MAX_REPLICAS_PER_GROUP));
    assertRejected(job, "spec.replicas", "1536 replicas in all; at most 1024");
    assertEquals(1024, TrainingJobs.job("most", "generic").replicas("a", 512).replicas("b", 512).model().totalReplicas());
  }

  @Test
  void replicaGroupsAreBounded() {
    TrainingJobs job = TrainingJobs.job("roles", "generic");
    IntStream.range(0, TrainingJobLimits.MAX_GROUPS + 1).forEach(i -> job.replicas("r" + i, 1));
    assertRejected(job, "spec.replicas", "at most 16 entries (has 17)");
  }

  @Test
  void memoryThatWouldWrapWhenMultipliedByTheCountIsRefusedAtItsGroup() {
    assertRejected(TrainingJobs.pytorch("wrap").requests("{memory: 465458732Gi}").replicas("worker", 20),
        "spec.replicas.worker", "a job may ask for at most 1Ei of memory");
  }

  @Test
  void aQuantityPastTheBoundIsRefusedWithItsPath() {
    assertRejectedYaml(container("resources: {requests: {memory: 10Ei}}"),
        "spec.replicas.worker.template.spec.containers[0].resources.requests.memory", "at most 1Ei (is 10Ei)");
    assertRejectedYaml(container("resources: {limits: {cpu: '1e400'}}"),
        "spec.replicas.worker.template.spec.containers[0].resources.limits.cpu", "at most 1000000");
  }

  @Test
  void groupsThatFitAloneCanStillExceedTheJobTotal() {
    assertRejected(TrainingJobs.job("sum", "generic").requests("{nvidia.com/gpu: 600Pi}").replicas("a", 1).replicas("b", 1),
        "spec.replicas", "the job asks for");
  }

  @Test
  void anEmptyProgramNameIsRefused() {
    assertRejectedYaml(container("command: ['']"),
        "spec.replicas.worker.template.spec.containers[0].command[0]", "must name a program");
  }

  @Test
  void commandArgsAndEnvAreBounded() {
    String longArg = "x".repeat(TrainingJobLimits.MAX_STRING + 1);
    assertRejectedYaml(container("command: [python3]\nargs: [ok, " + longArg + "]"),
        "spec.replicas.worker.template.spec.containers[0].args[1]", "at most 32768 characters");
    String manyArgs = IntStream.range(0, TrainingJobLimits.MAX_ARGS + 1).mapToObj(i -> "a").collect(Collectors.joining(", "));
    assertRejectedYaml(container("command: [" + manyArgs + "]"),
        "spec.replicas.worker.template.spec.containers[0].command", "at most 1024 entries (has 1025)");
    String manyEnv = IntStream.range(0, TrainingJobLimits.MAX_ENV + 1).mapToObj(i -> "{name: V" + i + ", value: x}")
        .collect(Collectors.joining(", "));
    assertRejectedYaml(container("command: [a]\nenv: [" + manyEnv + "]"),
        "spec.replicas.worker.template.spec.containers[0].env", "at most 1024 entries");
    assertRejectedYaml(container("command: [a]\nenv: [{name: " + "N".repeat(257) + ", value: x}]"),
        "spec.replicas.worker.template.spec.containers[0].env[0].name", "at most 256 characters");
  }

  @Test
  void portsAndContainersAreBounded() {
    String ports = IntStream.range(0, TrainingJobLimits.MAX_PORTS + 1).mapToObj(i -> "{containerPort: " + (1000 + i) + "}")
        .collect(Collectors.joining(", "));
    assertRejectedYaml(container("command: [a]\nports: [" + ports + "]"),
        "spec.replicas.worker.template.spec.containers[0].ports", "at most 64 entries");
  }

  @Test
  void runPolicyNumbersAreBounded() {
    TrainingJobs job = TrainingJobs.pytorch("ddp").replicas("worker", 1).runPolicy("backoffLimit: 1001")
        .runPolicy("activeDeadlineSeconds: 9223372036854775807").runPolicy("ttlSecondsAfterFinished: 2147483647");
    assertEquals(java.util.List.of("spec.runPolicy.backoffLimit", "spec.runPolicy.activeDeadlineSeconds",
        "spec.runPolicy.ttlSecondsAfterFinished"), TrainingJobValidationTest.paths(TrainingJobValidationTest.errors(job)));
  }

  @Test
  void nprocPerNodeAndElasticNumbersAreBounded() {
    assertRejected(TrainingJobs.pytorch("ddp").replicas("worker", 1).spec("nprocPerNode: 100000"),
        "spec.nprocPerNode", "at most 256");
    assertRejected(TrainingJobs.pytorch("ddp").replicas("worker", 1).spec("elasticPolicy: {maxReplicas: 5000}"),
        "spec.elasticPolicy.maxReplicas", "at most 1024");
    assertRejected(TrainingJobs.pytorch("ddp").replicas("worker", 1).spec("elasticPolicy: {maxRestarts: -1}"),
        "spec.elasticPolicy.maxRestarts", "at least 0");
  }
}
