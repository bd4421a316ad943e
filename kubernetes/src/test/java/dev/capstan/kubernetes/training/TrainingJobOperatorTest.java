package dev.capstan.kubernetes.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.capstan.kubernetes.TestingCluster.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.api.codec.Manifests;
import dev.capstan.kubernetes.Jobs;
import dev.capstan.kubernetes.Kubelet;
import dev.capstan.kubernetes.TestingCluster;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import dev.capstan.api.training.TrainingJob;
import dev.capstan.kubernetes.EmittedObjects;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The operator against a mock API server in CRUD mode, pods driven as a kubelet would. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrainingJobOperatorTest {
  static TestingCluster cluster;
  static Kubelet kubelet;

  @BeforeAll
  static void start() {
    cluster = new TestingCluster().node("node-a", "8", "32Gi").node("node-b", "8", "32Gi");
    kubelet = new Kubelet(cluster.client());
    cluster.startOperator();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void everythingTheOperatorEmittedPassesApiRulesPodSecurityAndRbac() {
    EmittedObjects.verify(cluster);
    EmittedObjects.verifyNoUnusedGrant(cluster);
  }

  @Test
  void aFinishedJobIsRemovedOnceItsTtlPasses() {
    cluster.apply(Jobs.pytorch("ttl", "t", 1, "{ttlSecondsAfterFinished: 1, cleanPodPolicy: None}", "OnFailure"));
    List<Pod> pods = cluster.awaitPods("ttl", 2);
    kubelet.runAll(pods);
    kubelet.exit(pods.get(0), 0);
    await(() -> cluster.job("ttl", "t") == null, () -> "the job to be removed after its TTL");
  }

  @Test
  void aFailedReplicaRestartsTheGangAsANewAttempt() {
    cluster.apply(Jobs.pytorch("restart", "r", 2));
    List<Pod> pods = cluster.awaitPods("restart", 3);
    kubelet.runAll(pods);
    cluster.awaitState("restart", "r", "Running");
    kubelet.exit(pods.get(2), 1);
    await(() -> cluster.pods("restart").size() == 3 && cluster.pods("restart").stream()
        .allMatch(p -> "1".equals(p.getMetadata().getLabels().get("capstan.dev/attempt"))), () -> "3 pods of attempt 1");
    // Status is recorded after the pass applied its actions.
    await(() -> cluster.job("restart", "r").getStatus().getRestartCount() == 1, () -> "restartCount 1");
    assertEquals("1", env(cluster.pods("restart").get(1)).get("CAPSTAN_ATTEMPT"));
    kubelet.runAll(cluster.pods("restart"));
    cluster.awaitState("restart", "r", "Running");
  }

  @Test
  void theBackoffLimitFailsTheJobAndStopsWhatRuns() {
    cluster.apply(Jobs.pytorch("backoff", "b", 1, "{backoffLimit: 1}", "OnFailure"));
    List<Pod> pods = cluster.awaitPods("backoff", 2);
    kubelet.runAll(pods);
    kubelet.exit(pods.get(1), 2);
    await(() -> cluster.pods("backoff").stream().allMatch(p -> "1".equals(p.getMetadata().getLabels().get("capstan.dev/attempt")))
        && cluster.pods("backoff").size() == 2, () -> "attempt 1");
    kubelet.runAll(cluster.pods("backoff"));
    kubelet.exit(cluster.pods("backoff").get(1), 3);
    cluster.awaitState("backoff", "b", "Failed");
    TrainingJob job = cluster.job("backoff", "b");
    assertEquals("BackoffLimitExceeded", condition(job, "Failed").getReason());
    await(() -> cluster.pods("backoff").stream().noneMatch(p -> "Running".equals(p.getStatus().getPhase())), () -> "running pods stopped");
  }

  @Test
  void activeDeadlineSecondsFailsARunningJob() {
    cluster.apply(Jobs.pytorch("deadline", "d", 1, "{activeDeadlineSeconds: 1}", "OnFailure"));
    kubelet.runAll(cluster.awaitPods("deadline", 2));
    cluster.awaitState("deadline", "d", "Failed");
    assertEquals("DeadlineExceeded", condition(cluster.job("deadline", "d"), "Failed").getReason());
    cluster.awaitPods("deadline", 0);
  }

  @Test
  void suspendDeletesThePodsAndResumeRecreatesThem() {
    cluster.apply(Jobs.pytorch("suspend", "s", 1));
    kubelet.runAll(cluster.awaitPods("suspend", 2));
    cluster.awaitState("suspend", "s", "Running");
    suspend("suspend", "s", true);
    cluster.awaitState("suspend", "s", "Suspended");
    cluster.awaitPods("suspend", 0);
    suspend("suspend", "s", false);
    kubelet.runAll(cluster.awaitPods("suspend", 2));
    cluster.awaitState("suspend", "s", "Running");
  }

  @Test
  void aGangTooBigForTheNodesCreatesNoPodAndIsQueuedWithTheReason() {
    cluster.apply(Jobs.pytorch("gang", "big", 2).replace("cpu: 500m", "cpu: 7"));
    awaitQueuedCondition("gang", "big");
    TrainingJob job = cluster.job("gang", "big");
    assertTrue(condition(job, "Queued").getMessage().contains("cpu 21 >"), condition(job, "Queued").getMessage());
    assertEquals(List.of(), cluster.pods("gang"));
    assertTrue(cluster.operatorRequests().stream().noneMatch(r -> r.method().equals("POST") && r.path().startsWith("/api/v1/namespaces/gang/pods")),
        "no pod was ever created for the gang");
  }

  @Test
  void aPodLargerThanEveryNodeKeepsTheJobQueuedThoughTheTotalWouldFit() {
    cluster.apply(Jobs.pytorch("wide", "w", 0).replace("cpu: 500m", "cpu: 9"));
    awaitQueuedCondition("wide", "w");
    String message = condition(cluster.job("wide", "w"), "Queued").getMessage();
    assertTrue(message.contains("cpu 9 > 8"), message);
    assertEquals(List.of(), cluster.pods("wide"));
  }

  @Test
  void injectedConflictsAreRetried() {
    Status conflict = new StatusBuilder().withStatus("Failure").withReason("Conflict").withCode(409)
        .withMessage("Operation cannot be fulfilled: the object has been modified").build();
    cluster.server().expect().post().withPath("/api/v1/namespaces/conflict/pods").andReturn(409, conflict).times(2);
    cluster.server().expect().post().withPath("/api/v1/namespaces/conflict/services").andReturn(409, conflict).once();
    cluster.server().expect().put().withPath("/apis/capstan.dev/v1alpha1/namespaces/conflict/trainingjobs/c/status")
        .andReturn(409, conflict).once();
    cluster.apply(Jobs.pytorch("conflict", "c", 1));
    kubelet.runAll(cluster.awaitPods("conflict", 2));
    cluster.awaitState("conflict", "c", "Running");
    assertEquals(2, cluster.services("conflict").size());
  }

  private static void suspend(String ns, String name, boolean suspend) {
    cluster.client().resources(TrainingJob.class).inNamespace(ns).withName(name)
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\": {\"runPolicy\": {\"suspend\": " + suspend + "}}}");
  }

  /** The scheduling cycle's reason for the wait, once it wrote one (a first pass only queues the job). */
  private static void awaitQueuedCondition(String ns, String name) {
    await(() -> cluster.job(ns, name).getStatus() != null && cluster.job(ns, name).getStatus().getConditions().stream()
        .anyMatch(c -> c.getType().equals("Queued") && "True".equals(c.getStatus())), () -> "the cycle's Queued condition on " + name);
    assertEquals("Queued", cluster.state(ns, name));
  }

  private static Condition condition(TrainingJob job, String type) {
    return job.getStatus().getConditions().stream().filter(c -> c.getType().equals(type)).findFirst().orElseThrow();
  }

  @Test
  void pytorchJobGetsOnePodAndOneHeadlessServicePerReplicaWithTheContractEnv() {
    var job = cluster.apply(Jobs.pytorch("ddp", "mnist", 2));
    List<Pod> pods = cluster.awaitPods("ddp", 3);
    assertEquals(List.of("mnist-master-0", "mnist-worker-0", "mnist-worker-1"), pods.stream().map(p -> p.getMetadata().getName()).toList());
    Map<String, String> worker1 = env(pods.get(2));
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("EPOCHS", "3");
    expected.put("MASTER_ADDR", "mnist-master-0");
    expected.put("MASTER_PORT", "23456");
    expected.put("PET_MASTER_ADDR", "mnist-master-0");
    expected.put("PET_MASTER_PORT", "23456");
    expected.put("WORLD_SIZE", "3");
    expected.put("RANK", "2");
    expected.put("PET_NODE_RANK", "2");
    expected.put("PET_NPROC_PER_NODE", "auto");
    expected.put("PET_NNODES", "3");
    expected.put("PYTHONUNBUFFERED", "1");
    expected.put("CAPSTAN_JOB_NAME", "mnist");
    expected.put("CAPSTAN_JOB_NAMESPACE", "ddp");
    expected.put("CAPSTAN_REPLICA_ROLE", "worker");
    expected.put("CAPSTAN_REPLICA_INDEX", "1");
    expected.put("CAPSTAN_ATTEMPT", "0");
    assertEquals(expected, worker1);
    assertEquals("0", env(pods.get(0)).get("RANK"));

    Pod master = pods.get(0);
    Map<String, String> labels = master.getMetadata().getLabels();
    assertEquals("mnist", labels.get("training.kubeflow.org/job-name"));
    assertEquals("master", labels.get("training.kubeflow.org/replica-type"));
    assertEquals("0", labels.get("training.kubeflow.org/replica-index"));
    assertEquals("master", labels.get("training.kubeflow.org/job-role"));
    assertEquals(null, pods.get(1).getMetadata().getLabels().get("training.kubeflow.org/job-role"));
    OwnerReference owner = master.getMetadata().getOwnerReferences().get(0);
    assertEquals(job.getMetadata().getUid(), owner.getUid());
    assertTrue(owner.getController() && owner.getBlockOwnerDeletion());
    assertEquals("Never", master.getSpec().getRestartPolicy());
    assertEquals("pytorchjob-port", master.getSpec().getContainers().get(0).getPorts().get(0).getName());

    List<Service> services = cluster.services("ddp");
    assertEquals(List.of("mnist-master-0", "mnist-worker-0", "mnist-worker-1"), services.stream().map(s -> s.getMetadata().getName()).toList());
    Service svc = services.get(1);
    assertEquals("None", svc.getSpec().getClusterIP());
    assertEquals(23456, svc.getSpec().getPorts().get(0).getPort());
    assertEquals(Map.of("training.kubeflow.org/operator-name", "pytorchjob-controller",
        "training.kubeflow.org/job-name", "mnist", "training.kubeflow.org/replica-type", "worker",
        "training.kubeflow.org/replica-index", "0"), svc.getSpec().getSelector());
    assertEquals(job.getMetadata().getUid(), svc.getMetadata().getOwnerReferences().get(0).getUid());

    kubelet.runAll(pods);
    cluster.awaitState("ddp", "mnist", "Running");
    kubelet.exit(cluster.pods("ddp").get(0), 0);
    cluster.awaitState("ddp", "mnist", "Succeeded");
  }

  @Test
  void tensorflowAndMxnetConfigsMatchTheContractStructurally() throws Exception {
    cluster.apply(Jobs.tensorflow("tf", "census"));
    List<Pod> tf = cluster.awaitPods("tf", 4);
    Pod worker1 = tf.stream().filter(p -> p.getMetadata().getName().equals("census-worker-1")).findFirst().orElseThrow();
    JsonNode tfConfig = Manifests.json().readTree(env(worker1).get("TF_CONFIG"));
    JsonNode expectedTf = Manifests.json().readTree("""
        {"cluster": {"chief": ["census-chief-0.tf.svc:2222"], "ps": ["census-ps-0.tf.svc:2222"],
                     "worker": ["census-worker-0.tf.svc:2222", "census-worker-1.tf.svc:2222"]},
         "task": {"type": "worker", "index": 1}, "environment": "cloud"}
        """);
    assertEquals(expectedTf, tfConfig);

    cluster.apply(Jobs.mxnet("mx", "ps"));
    List<Pod> mx = cluster.awaitPods("mx", 4);
    Pod server = mx.stream().filter(p -> p.getMetadata().getName().equals("ps-server-0")).findFirst().orElseThrow();
    Map<String, String> env = env(server);
    JsonNode mxConfig = Manifests.json().readTree(env.get("MX_CONFIG"));
    assertEquals(Manifests.json().readTree("""
        {"scheduler": [{"url": "ps-scheduler-0", "port": 9091}], "server": [{"url": "ps-server-0", "port": 9091}],
         "worker": [{"url": "ps-worker-0", "port": 9091}, {"url": "ps-worker-1", "port": 9091}]}
        """), mxConfig.get("cluster"));
    assertEquals(Manifests.json().readTree("{\"type\": \"server\", \"index\": 0}"), mxConfig.get("task"));
    assertEquals("ps-scheduler-0", env.get("DMLC_PS_ROOT_URI"));
    assertEquals("9091", env.get("DMLC_PS_ROOT_PORT"));
    assertEquals("server", env.get("DMLC_ROLE"));
    assertEquals("1", env.get("DMLC_NUM_SERVER"));
    assertEquals("2", env.get("DMLC_NUM_WORKER"));
    assertEquals("1", env.get("DMLC_USE_KUBERNETES"));
  }

  static Map<String, String> env(Pod pod) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar e : pod.getSpec().getContainers().get(0).getEnv()) {
      env.put(e.getName(), e.getValue());
    }
    return env;
  }
}
