package dev.capstan.api.training;

import static dev.capstan.api.training.TrainingJobValidationTest.assertRejected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The defaults and value forms the Kubeflow training operator gives its jobs, as a TrainingJob
 * takes them: v1.9 {@code pkg/apis/kubeflow.org/v1/*_defaults.go} and {@code *_types.go} (MXNet:
 * v1.7).
 */
class KubeflowDefaultsTest {

  @Test
  void nprocPerNodeTakesTorchrunWordsNumbersAndDigitStrings() {
    assertEquals(Optional.of("gpu"), pytorch("nprocPerNode: gpu").nprocPerNode());
    assertEquals(Optional.of("cpu"), pytorch("nprocPerNode: cpu").nprocPerNode());
    TrainingJobModel auto = pytorch("nprocPerNode: auto");
    assertEquals(Optional.of("auto"), auto.nprocPerNode());
    assertEquals(1, auto.procsPerNode(), "WORLD_SIZE counts a word as 1 process (getNprocPerNodeInt)");
    TrainingJobModel four = pytorch("nprocPerNode: \"4\"");
    assertEquals(Optional.of("4"), four.nprocPerNode());
    assertEquals(4, four.procsPerNode());
    assertEquals(Optional.of("2"), pytorch("nprocPerNode: 2").nprocPerNode());
  }

  @Test
  void nprocPerNodeDefaultsToAuto() {
    // pytorch_defaults.go setDefaultNprocPerNode: DefaultNprocPerNode = "auto".
    TrainingJobModel job = TrainingJobs.pytorch("ddp").replicas("worker", 2).model();
    assertEquals(Optional.of("auto"), job.nprocPerNode());
    assertEquals(1, job.procsPerNode());
  }

  @Test
  void nprocPerNodeRefusesOtherWordsAndBoundsDigitStrings() {
    assertRejected(TrainingJobs.pytorch("ddp").replicas("worker", 1).spec("nprocPerNode: many"),
        "spec.nprocPerNode", "one of auto, cpu, gpu (is 'many')");
    assertRejected(TrainingJobs.pytorch("ddp").replicas("worker", 1).spec("nprocPerNode: \"0\""),
        "spec.nprocPerNode", "at least 1");
    assertRejected(TrainingJobs.pytorch("ddp").replicas("worker", 1).spec("nprocPerNode: \"100000\""),
        "spec.nprocPerNode", "at most 256");
    assertRejected(TrainingJobs.pytorch("ddp").replicas("worker", 1).spec("nprocPerNode: \"99999999999999\""),
        "spec.nprocPerNode", "must be a number of processes");
  }

  @Test
  void restartPolicyDefaultsPerFramework() {
    // *_types.go: PyTorch and Paddle OnFailure; TF, XGBoost, JAX and MXNet Never.
    assertEquals(RestartPolicy.OnFailure, restartOf("pytorch", "worker"));
    assertEquals(RestartPolicy.OnFailure, restartOf("paddle", "worker"));
    assertEquals(RestartPolicy.Never, restartOf("tensorflow", "worker"));
    assertEquals(RestartPolicy.Never, restartOf("xgboost", "worker"));
    assertEquals(RestartPolicy.Never, restartOf("jax", "worker"));
    assertEquals(RestartPolicy.Never, restartOf("mxnet", "worker"));
  }

  @Test
  void elasticBoundsDefaultAsTheOperatorDefaultsThem() {
    // pytorch_defaults.go setElasticPolicy: one bound stands for both; none means the worker count.
    ElasticModel onlyMin = elastic("elasticPolicy: {minReplicas: 2}");
    assertEquals(2, onlyMin.minReplicas());
    assertEquals(2, onlyMin.maxReplicas());
    ElasticModel onlyMax = elastic("elasticPolicy: {maxReplicas: 5}");
    assertEquals(5, onlyMax.minReplicas());
    assertEquals(5, onlyMax.maxReplicas());
    TrainingJobModel withMaster = TrainingJobs.pytorch("el").replicas("master", 1).replicas("worker", 3)
        .spec("elasticPolicy: {rdzvBackend: c10d}").model();
    assertEquals(3, withMaster.elastic().orElseThrow().minReplicas());
    assertEquals(3, withMaster.elastic().orElseThrow().maxReplicas());
    assertFalse(onlyMin.standalone());
    assertTrue(elastic("elasticPolicy: {standalone: true}").standalone());
  }

  @Test
  void aDeclaredPortStandsForTheDefault() {
    TrainingJobModel job = TrainingJobs.model("""
        metadata: {name: pd}
        spec:
          framework: paddle
          replicas:
            worker:
              count: 2
              template:
                spec:
                  containers:
                  - name: paddle
                    command: [python3, train.py]
                    ports: [{name: master, containerPort: 37777}]
        """);
    assertEquals(37777, job.group("worker").orElseThrow().port(Framework.PADDLE));
    TrainingJobModel plain = TrainingJobs.job("pd", "paddle").replicas("worker", 1).model();
    assertEquals(36543, plain.group("worker").orElseThrow().port(Framework.PADDLE));
  }

  private static TrainingJobModel pytorch(String specLine) {
    return TrainingJobs.pytorch("ddp").replicas("worker", 2).spec(specLine).model();
  }

  private static ElasticModel elastic(String specLine) {
    return TrainingJobs.pytorch("el").replicas("worker", 4).spec(specLine).model().elastic().orElseThrow();
  }

  private static RestartPolicy restartOf(String framework, String role) {
    TrainingJobs job = TrainingJobs.job("j", framework);
    if (framework.equals("mxnet")) {
      job.replicas("scheduler", 1);
    }
    return job.replicas(role, 1).model().group(role).orElseThrow().restartPolicy();
  }
}
