package dev.capstan.api.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.api.validation.FieldError;
import dev.capstan.api.validation.InvalidSpecException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every invalid spec is rejected with the path of the field at fault; every error is reported. */
class TrainingJobValidationTest {
  private static final String CONTAINER = "template: {spec: {containers: [{name: pytorch, command: [python3, train.py]}]}}";

  @Test
  void missingFramework() {
    assertRejected(TrainingJobs.job("ddp", null).replicas("worker", 1), "spec.framework", "required");
  }

  @Test
  void unknownFrameworkNamesTheValueAndTheChoices() {
    FieldError e = single(TrainingJobs.job("ddp", "pytorh").replicas("worker", 1));
    assertEquals("spec.framework", e.path());
    assertTrue(e.reason().contains("'pytorh'"), e.reason());
    assertTrue(e.reason().contains("pytorch, tensorflow, mxnet, jax, xgboost, paddle, generic"), e.reason());
  }

  @Test
  void roleNotValidForTheFramework() {
    FieldError e = single(TrainingJobs.job("tf", "tensorflow").replicas("worker", 2).replicas("scheduler", 1));
    assertEquals("spec.replicas.scheduler", e.path());
    assertTrue(e.reason().contains("not valid for tensorflow"), e.reason());
    assertTrue(e.reason().contains("chief, master, worker, ps, evaluator"), e.reason());
  }

  @Test
  void kubeflowCapitalisedRolesAreTheSameRoles() {
    TrainingJobModel pytorch = TrainingJobs.job("ddp", "pytorch").replicas("Master", 1).replicas("Worker", 2).model();
    assertEquals(List.of("master", "worker"), pytorch.groups().stream().map(ReplicaGroup::role).toList());
    assertEquals(new ReplicaId("master", 0), pytorch.rankZero());

    TrainingJobModel tf = TrainingJobs.job("tf", "tensorflow")
        .replicas("Worker", 2).replicas("PS", 1).replicas("Chief", 1).model();
    assertEquals(List.of("chief", "worker", "ps"), tf.groups().stream().map(ReplicaGroup::role).toList());
  }

  @Test
  void theSameRoleTwiceInTwoSpellings() {
    assertRejected(TrainingJobs.job("ddp", "pytorch").replicas("worker", 1).replicas("Worker", 1),
        "spec.replicas.Worker", "given twice");
  }

  @Test
  void negativeCount() {
    assertRejected(TrainingJobs.job("ddp", "pytorch").replicas("master", 1).replicas("worker", -1),
        "spec.replicas.worker.count", "at least 0 (is -1)");
  }

  @Test
  void moreThanOneMaster() {
    assertRejected(TrainingJobs.job("ddp", "pytorch").replicas("master", 2), "spec.replicas.master.count", "0 or 1");
  }

  @Test
  void moreThanOneMasterUnderItsKubeflowKey() {
    assertRejected(TrainingJobs.job("ddp", "pytorch").replicas("Master", 2), "spec.replicas.Master.count", "0 or 1");
  }

  @Test
  void everyCountZero() {
    assertRejected(TrainingJobs.job("ddp", "pytorch").replicas("worker", 0), "spec.replicas", "no replicas");
  }

  @Test
  void unknownRestartPolicyListsTheChoices() {
    assertRejected(TrainingJobs.job("ddp", "pytorch").replicas("worker", 1, "Sometimes"),
        "spec.replicas.worker.restartPolicy", "must be one of [Always, OnFailure, Never, ExitCode] (is 'Sometimes')");
  }

  @Test
  void noContainers() {
    assertRejectedYaml("""
        metadata: {name: ddp}
        spec:
          framework: pytorch
          replicas:
            worker: {count: 1, template: {spec: {containers: []}}}
        """, "spec.replicas.worker.template.spec.containers", "at least one container");
  }

  @Test
  void noTemplate() {
    assertRejectedYaml("""
        metadata: {name: ddp}
        spec: {framework: pytorch, replicas: {worker: {count: 1}}}
        """, "spec.replicas.worker.template.spec.containers", "at least one container");
  }

  @Test
  void severalContainersWithoutTheFrameworksOne() {
    assertRejectedYaml("""
        metadata: {name: ddp}
        spec:
          framework: pytorch
          replicas:
            worker:
              template: {spec: {containers: [{name: trainer, command: [a]}, {name: sidecar, command: [b]}]}}
        """, "spec.replicas.worker.template.spec.containers", "named 'pytorch'");
  }

  @Test
  void badEnvironmentVariableName() {
    assertRejectedYaml("""
        metadata: {name: ddp}
        spec:
          framework: pytorch
          replicas:
            worker:
              template:
                spec:
                  containers:
                  - name: pytorch
                    env:
                    - {name: GOOD_NAME, value: "1"}
                    - {name: "1 BAD", value: "2"}
        """, "spec.replicas.worker.template.spec.containers[0].env[1].name", "'1 BAD'");
  }

  @Test
  void badQuantity() {
    assertRejectedYaml("""
        metadata: {name: ddp}
        spec:
          framework: pytorch
          replicas:
            worker:
              template:
                spec:
                  containers:
                  - name: pytorch
                    resources: {requests: {cpu: lots, memory: 1Gi}}
        """, "spec.replicas.worker.template.spec.containers[0].resources.requests.cpu", "'lots' is not a valid quantity");
  }

  @Test
  void negativeQuantity() {
    assertRejectedYaml("""
        metadata: {name: ddp}
        spec:
          framework: pytorch
          replicas:
            worker:
              template:
                spec:
                  containers:
                  - name: pytorch
                    resources: {limits: {nvidia.com/gpu: "-1"}}
        """, "spec.replicas.worker.template.spec.containers[0].resources.limits.nvidia.com/gpu", "non-negative");
  }

  @Test
  void badPort() {
    assertRejectedYaml("""
        metadata: {name: ddp}
        spec:
          framework: pytorch
          replicas:
            worker:
              template: {spec: {containers: [{name: pytorch, ports: [{containerPort: 70000}]}]}}
        """, "spec.replicas.worker.template.spec.containers[0].ports[0].containerPort", "between 1 and 65535");
  }

  @Test
  void nameLeavesRoomForTheLongestReplicaName() {
    // 11 workers: the longest replica name is <job>-worker-10, 10 characters after the job name.
    String longest = "a".repeat(63 - "-worker-10".length());
    TrainingJobModel fits = TrainingJobs.job(longest, "pytorch").replicas("worker", 11).model();
    assertEquals(63, new ReplicaId("worker", 10).name(fits.name()).length());

    assertRejected(TrainingJobs.job(longest + "a", "pytorch").replicas("worker", 11),
        "metadata.name", "at most 53 characters (is 54)");
  }

  @Test
  void nameMustBeADnsLabel() {
    assertRejected(TrainingJobs.job("My_Job", "pytorch").replicas("worker", 1), "metadata.name", "lowercase");
  }

  @Test
  void badCleanPodPolicy() {
    assertRejected(TrainingJobs.job("ddp", "pytorch").replicas("worker", 1).runPolicy("cleanPodPolicy: Some"),
        "spec.runPolicy.cleanPodPolicy", "must be one of [All, Running, None] (is 'Some')");
  }

  @Test
  void badRestartScope() {
    assertRejected(TrainingJobs.job("ddp", "pytorch").replicas("worker", 1).runPolicy("restartScope: gang"),
        "spec.runPolicy.restartScope", "must be one of [Gang, Replica] (is 'gang')");
  }

  @Test
  void negativeRunPolicyNumbers() {
    List<FieldError> errors = errors(TrainingJobs.job("ddp", "pytorch").replicas("worker", 1)
        .runPolicy("backoffLimit: -1").runPolicy("activeDeadlineSeconds: 0").runPolicy("ttlSecondsAfterFinished: -5"));
    assertEquals(List.of("spec.runPolicy.backoffLimit", "spec.runPolicy.activeDeadlineSeconds",
        "spec.runPolicy.ttlSecondsAfterFinished"), paths(errors));
  }

  @Test
  void elasticPolicyOnlyForPyTorch() {
    assertRejected(TrainingJobs.job("tf", "tensorflow").replicas("worker", 2).spec("elasticPolicy: {minReplicas: 1}"),
        "spec.elasticPolicy", "only pytorch");
  }

  @Test
  void elasticMinAboveMax() {
    assertRejected(TrainingJobs.job("ddp", "pytorch").replicas("worker", 2)
        .spec("elasticPolicy: {minReplicas: 3, maxReplicas: 2}"), "spec.elasticPolicy.minReplicas", "3 > 2");
  }

  @Test
  void mxnetNeedsOneScheduler() {
    assertRejected(TrainingJobs.job("mx", "mxnet").replicas("server", 1).replicas("worker", 2),
        "spec.replicas.scheduler", "exactly one scheduler");
  }

  @Test
  void unknownSuccessPolicy() {
    assertRejected(TrainingJobs.job("ddp", "pytorch").replicas("worker", 1).spec("successPolicy: Everyone"),
        "spec.successPolicy", "[Default, AllWorkers]");
  }

  @Test
  void nprocPerNodeAtLeastOne() {
    assertRejected(TrainingJobs.job("ddp", "pytorch").replicas("worker", 1).spec("nprocPerNode: 0"),
        "spec.nprocPerNode", "at least 1");
  }

  @Test
  void severalErrorsAreReportedAtOnce() {
    InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> TrainingJobs.model("""
        metadata: {name: ddp}
        spec:
          framework: pytorch
          replicas:
            master: {count: 2, restartPolicy: Sometimes, %s}
            worker: {count: -1, %s}
          runPolicy: {cleanPodPolicy: Some}
        """.formatted(CONTAINER, CONTAINER)));
    assertEquals(List.of(
        "spec.replicas.master.restartPolicy",
        "spec.replicas.worker.count",
        "spec.replicas.master.count",
        "spec.runPolicy.cleanPodPolicy"), paths(e.errors()));
    assertEquals(4, e.getMessage().split("; ").length, e.getMessage());
    assertTrue(e.getMessage().startsWith("spec.replicas.master.restartPolicy: must be one of"), e.getMessage());
  }

  @Test
  void generic() {
    TrainingJobModel job = TrainingJobs.model("""
        metadata: {name: sweep}
        spec:
          framework: generic
          replicas:
            trainer: {count: 2, template: {spec: {containers: [{command: [./run.sh]}]}}}
            master: {count: 1, template: {spec: {containers: [{command: [./run.sh]}]}}}
        """);
    assertEquals(List.of("master", "trainer"), job.groups().stream().map(ReplicaGroup::role).toList());
    assertEquals(new ReplicaId("master", 0), job.rankZero());
  }

  @Test
  void defaults() {
    TrainingJobModel ddp = TrainingJobs.job("ddp", "pytorch").replicas("master", 1).replicas("worker", 1).model();
    assertEquals("team-a", ddp.namespace());
    assertEquals(RestartPolicy.OnFailure, ddp.group("worker").orElseThrow().restartPolicy());
    assertEquals(RestartScope.GANG, ddp.runPolicy().restartScope());
    assertEquals(CleanPodPolicy.Running, ddp.runPolicy().cleanPodPolicy());
    assertEquals(RunPolicyModel.DEFAULT_BACKOFF_LIMIT, ddp.runPolicy().backoffLimit());
    assertEquals(SuccessPolicy.Default, ddp.successPolicy());
    assertEquals(1, ddp.procsPerNode());

    TrainingJobModel tf = TrainingJobs.job("tf", "tensorflow").replicas("ps", 1).replicas("worker", 2).model();
    assertEquals(RestartScope.REPLICA, tf.runPolicy().restartScope());
    assertEquals(RestartPolicy.Never, tf.group("ps").orElseThrow().restartPolicy());

    TrainingJobModel kubeflow = TrainingJobs.model("""
        metadata: {name: kf}
        spec:
          framework: pytorch
          replicas:
            Worker: {replicas: 3, %s}
        """.formatted(CONTAINER));
    assertEquals(3, kubeflow.totalReplicas());
  }

  static FieldError single(TrainingJobs job) {
    List<FieldError> errors = errors(job);
    assertEquals(1, errors.size(), errors::toString);
    return errors.get(0);
  }

  static List<FieldError> errors(TrainingJobs job) {
    return assertThrows(InvalidSpecException.class, job::model, job::yaml).errors();
  }

  @Test
  void privilegeThatTheApiServerWouldRefuseWithEscalationOffIsRefusedAtItsPath() {
    String job = """
        metadata: {name: priv}
        spec:
          framework: generic
          replicas:
            main:
              template:
                spec:
                  containers:
                  - name: main
                    command: [train]
                    securityContext: %s
        """;
    String path = "spec.replicas.main.template.spec.containers[0].securityContext.allowPrivilegeEscalation";
    assertRejectedYaml(job.formatted("{privileged: true, allowPrivilegeEscalation: false}"), path,
        "cannot be false for a privileged container");
    assertRejectedYaml(job.formatted("{allowPrivilegeEscalation: false, capabilities: {add: [SYS_ADMIN]}}"), path,
        "adds CAP_SYS_ADMIN");
    TrainingJobs.model(job.formatted("{privileged: true}")); // privileged alone is the API server's to allow
  }

  @Test
  void aNulCharacterInCommandArgsOrEnvIsRefusedAtItsPath() {
    String job = """
        metadata: {name: nul}
        spec:
          framework: generic
          replicas:
            main:
              template:
                spec:
                  containers:
                  - name: main
                    command: [%s]
                    args: [%s]
                    env: [{name: A, value: %s}]
        """;
    String container = "spec.replicas.main.template.spec.containers[0]";
    assertRejectedYaml(job.formatted("\"train\\0 --evil\"", "a", "x"), container + ".command[0]", "NUL");
    assertRejectedYaml(job.formatted("train", "a, \"b\\0\"", "x"), container + ".args[1]", "NUL");
    assertRejectedYaml(job.formatted("train", "a", "\"x\\0y\""), container + ".env[0].value", "NUL");
    TrainingJobs.model(job.formatted("train", "a", "x"));
  }

  static void assertRejected(TrainingJobs job, String path, String reasonPart) {
    assertHas(errors(job), path, reasonPart);
  }

  static void assertRejectedYaml(String yaml, String path, String reasonPart) {
    assertHas(assertThrows(InvalidSpecException.class, () -> TrainingJobs.model(yaml), yaml).errors(), path, reasonPart);
  }

  static void assertHas(List<FieldError> errors, String path, String reasonPart) {
    assertTrue(errors.stream().anyMatch(e -> e.path().equals(path) && e.reason().contains(reasonPart)),
        () -> "expected " + path + ": …" + reasonPart + "… in " + errors);
  }

  static List<String> paths(List<FieldError> errors) {
    return errors.stream().map(FieldError::path).toList();
  }
}
