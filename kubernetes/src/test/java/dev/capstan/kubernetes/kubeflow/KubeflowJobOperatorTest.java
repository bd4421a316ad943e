package dev.capstan.kubernetes.kubeflow;

import static dev.capstan.kubernetes.TestingCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.api.codec.Manifests;
import dev.capstan.kubernetes.EmittedObjects;
import dev.capstan.kubernetes.Kubelet;
import dev.capstan.kubernetes.RbacRules;
import dev.capstan.kubernetes.TestingCluster;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code kubectl apply} of Kubeflow's own manifests with Capstan as the only operator: Capstan's
 * kubeflow.org CRDs installed, the operator started with CAPSTAN_KUBEFLOW_JOBS on, pods driven as a
 * kubelet would. Nothing here depends on the mock server beyond what a real API server does.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubeflowJobOperatorTest {
  static TestingCluster cluster;
  static Kubelet kubelet;

  @BeforeAll
  static void start() {
    cluster = new TestingCluster().node("node-a", "8", "32Gi");
    kubelet = new Kubelet(cluster.client());
    KubeflowCrds.all().forEach(crd -> cluster.client().resource(crd).create());
    cluster.launch(true, s -> s.withKubeflowJobs(true));
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  static String pytorchJob(String ns, String name, String runPolicy, String workerReplicas) {
    return """
        apiVersion: kubeflow.org/v1
        kind: PyTorchJob
        metadata:
          name: %s
          namespace: %s
        spec:
          runPolicy: %s
          pytorchReplicaSpecs:
            Master:
              replicas: 1
              restartPolicy: OnFailure
              template:
                spec:
                  containers:
                  - name: pytorch
                    image: docker.io/kubeflowkatib/pytorch-mnist:v1beta1-45c5727
                    command: [python3, /opt/pytorch-mnist/mnist.py, --epochs=1]
                    resources: {requests: {cpu: 500m, memory: 256Mi}}
            Worker:
              replicas: %s
              restartPolicy: OnFailure
              template:
                spec:
                  containers:
                  - name: pytorch
                    image: docker.io/kubeflowkatib/pytorch-mnist:v1beta1-45c5727
                    command: [python3, /opt/pytorch-mnist/mnist.py, --epochs=1]
                    resources: {requests: {cpu: 500m, memory: 256Mi}}
        """.formatted(name, ns, runPolicy, workerReplicas);
  }

  static KubeflowJobResource.PyTorchJob apply(String yaml) {
    try {
      KubeflowJobResource.PyTorchJob job = Manifests.yaml().readValue(yaml, KubeflowJobResource.PyTorchJob.class);
      return cluster.client().resources(KubeflowJobResource.PyTorchJob.class).resource(job).create();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static JsonNode status(String ns, String name) {
    KubeflowJobResource.PyTorchJob job = cluster.client().resources(KubeflowJobResource.PyTorchJob.class)
        .inNamespace(ns).withName(name).get();
    return job == null ? null : Manifests.json().valueToTree(job).path("status");
  }

  static Optional<JsonNode> condition(JsonNode status, String type) {
    for (JsonNode c : status.path("conditions")) {
      if (c.path("type").asText().equals(type)) {
        return Optional.of(c);
      }
    }
    return Optional.empty();
  }

  static void awaitCondition(String ns, String name, String type) {
    await(() -> condition(status(ns, name), type).map(c -> c.path("status").asText().equals("True")).orElse(false),
        () -> "PyTorchJob " + ns + "/" + name + " to have " + type + "=True; status is " + status(ns, name));
  }

  @Test
  void aPyTorchJobRunsAsKubeflowsOperatorWouldRunItAndReportsStatusInKubeflowsShape() {
    KubeflowJobResource.PyTorchJob job = apply(pytorchJob("kf", "mnist", "{}", "2"));
    List<Pod> pods = cluster.awaitPods("kf", 3);
    assertEquals(List.of("mnist-master-0", "mnist-worker-0", "mnist-worker-1"), pods.stream().map(p -> p.getMetadata().getName()).toList());
    for (HasMetadata child : children("kf")) {
      OwnerReference owner = child.getMetadata().getOwnerReferences().get(0);
      assertEquals(List.of("kubeflow.org/v1", "PyTorchJob", "mnist", job.getMetadata().getUid(), true),
          List.of(owner.getApiVersion(), owner.getKind(), owner.getName(), owner.getUid(), owner.getController()), child.getMetadata().getName());
    }
    Map<String, String> master = pods.get(0).getMetadata().getLabels();
    assertEquals("pytorchjob-controller", master.get("training.kubeflow.org/operator-name"));
    assertEquals("mnist", master.get("training.kubeflow.org/job-name"));
    assertEquals("master", master.get("training.kubeflow.org/replica-type"));
    assertEquals("0", master.get("training.kubeflow.org/replica-index"));
    assertEquals("master", master.get("training.kubeflow.org/job-role"));
    assertEquals("worker", pods.get(2).getMetadata().getLabels().get("training.kubeflow.org/replica-type"));
    Map<String, String> env = env(pods.get(2));
    assertEquals("mnist-master-0", env.get("MASTER_ADDR"));
    assertEquals("23456", env.get("MASTER_PORT"));
    assertEquals("3", env.get("WORLD_SIZE"));
    assertEquals("2", env.get("RANK"));
    assertEquals(List.of("mnist-master-0", "mnist-worker-0", "mnist-worker-1"),
        cluster.services("kf").stream().map(s -> s.getMetadata().getName()).toList());

    kubelet.runAll(pods);
    awaitCondition("kf", "mnist", "Running");
    JsonNode running = status("kf", "mnist");
    assertEquals("PyTorchJobRunning", condition(running, "Running").orElseThrow().path("reason").asText());
    assertEquals("PyTorchJobCreated", condition(running, "Created").orElseThrow().path("reason").asText());
    await(() -> status("kf", "mnist").path("replicaStatuses").path("Worker").path("active").asInt() == 2,
        () -> "2 active workers: " + status("kf", "mnist"));
    JsonNode replicas = status("kf", "mnist").path("replicaStatuses");
    assertEquals(Set.of("Master", "Worker"), names(replicas));
    assertEquals(1, replicas.path("Master").path("active").asInt());
    assertEquals("training.kubeflow.org/job-name=mnist,training.kubeflow.org/operator-name=pytorchjob-controller,"
        + "training.kubeflow.org/replica-type=worker", replicas.path("Worker").path("selector").asText());

    kubelet.exit(cluster.pods("kf").get(0), 0);
    awaitCondition("kf", "mnist", "Succeeded");
    JsonNode done = status("kf", "mnist");
    JsonNode succeeded = condition(done, "Succeeded").orElseThrow();
    assertEquals("PyTorchJobSucceeded", succeeded.path("reason").asText());
    List<String> types = new java.util.ArrayList<>();
    for (JsonNode c : done.path("conditions")) {
      assertEquals(Set.of("type", "status", "reason", "message", "lastUpdateTime", "lastTransitionTime"), names(c), c.toString());
      types.add(c.path("type").asText());
    }
    assertEquals(Set.copyOf(types).size(), types.size(), "one condition of each type: " + types);
    assertEquals(2, done.path("replicaStatuses").path("Worker").path("active").asInt(), "the workers still run: " + done);
    assertEquals("Succeeded", done.path("conditions").get(done.path("conditions").size() - 1).path("type").asText(),
        "the last condition is the latest, as kubectl's State column reads it: " + done);
    for (String time : List.of("startTime", "completionTime", "lastReconcileTime")) {
      assertTrue(done.path(time).isTextual(), time + " in " + done);
    }
    var events = cluster.client().v1().events().inNamespace("kf").list().getItems();
    assertTrue(!events.isEmpty(), "events were recorded");
    events.forEach(e -> assertEquals(List.of("kubeflow.org/v1", "PyTorchJob", job.getMetadata().getUid()),
        List.of(e.getInvolvedObject().getApiVersion(), e.getInvolvedObject().getKind(), e.getInvolvedObject().getUid()),
        "kubectl describe pytorchjob shows the event: " + e.getReason()));
  }

  @Test
  void anInvalidPyTorchJobFailsWithTheKubeflowFieldPathInItsCondition() {
    apply(pytorchJob("kf-invalid", "bad", "{}", "-1"));
    awaitCondition("kf-invalid", "bad", "Failed");
    JsonNode failed = condition(status("kf-invalid", "bad"), "Failed").orElseThrow();
    assertEquals("PyTorchJobFailedValidation", failed.path("reason").asText());
    assertTrue(failed.path("message").asText().contains("spec.pytorchReplicaSpecs.Worker.replicas"), failed.toString());
    assertEquals(List.of(), cluster.pods("kf-invalid"));
  }

  /** Admission counts every job the operator runs: a PyTorchJob waits for capacity a TrainingJob holds. */
  @Test
  void aPyTorchJobQueuesBehindTheCapacityATrainingJobHolds() {
    cluster.apply("""
        apiVersion: capstan.dev/v1alpha1
        kind: TrainingJob
        metadata: {name: big, namespace: kf-queue}
        spec:
          framework: pytorch
          replicas:
            Master:
              replicas: 1
              template: {spec: {containers: [{name: pytorch, image: ddp:1, resources: {requests: {cpu: "3", memory: 1Gi}}}]}}
            Worker:
              replicas: 1
              template: {spec: {containers: [{name: pytorch, image: ddp:1, resources: {requests: {cpu: "3", memory: 1Gi}}}]}}
        """);
    try {
      kubelet.runAll(cluster.awaitPods("kf-queue", 2));
      cluster.awaitState("kf-queue", "big", "Running");
      apply(pytorchJob("kf-queue", "waits", "{}", "4"));
      await(() -> "Queued".equals(status("kf-queue", "waits").path("capstan").path("state").asText()),
          () -> "the PyTorchJob to be Queued behind the TrainingJob: " + status("kf-queue", "waits"));
      assertEquals(List.of("big-master-0", "big-worker-0"), cluster.pods("kf-queue").stream().map(p -> p.getMetadata().getName()).toList());
    } finally {
      cluster.client().resources(KubeflowJobResource.PyTorchJob.class).inNamespace("kf-queue").withName("waits").delete();
      cluster.client().resources(dev.capstan.api.training.TrainingJob.class).inNamespace("kf-queue").withName("big").delete();
    }
  }

  @Test
  void aFinishedPyTorchJobIsRemovedOnceItsTtlPasses() {
    apply(pytorchJob("kf-ttl", "brief", "{ttlSecondsAfterFinished: 0}", "1"));
    List<Pod> pods = cluster.awaitPods("kf-ttl", 2);
    kubelet.runAll(pods);
    kubelet.exit(pods.get(0), 0);
    await(() -> status("kf-ttl", "brief") == null, () -> "the PyTorchJob to be removed after its TTL");
  }

  /** Requests are checked against both RBAC files; every Kubeflow grant is used, for each kind alike. */
  @Test
  @Order(Integer.MAX_VALUE)
  void everythingTheOperatorEmittedPassesApiRulesPodSecurityAndRbac() {
    Path kubeflowRbac = RbacRules.committed().getParent().resolve("kubeflow/rbac.yaml");
    EmittedObjects.verify(cluster, List.of(RbacRules.committed(), kubeflowRbac));
    Set<String> needed = RbacRules.needed(cluster.operatorRequests());
    Set<String> unused = new TreeSet<>();
    for (String grant : RbacRules.granted(kubeflowRbac)) {
      String asPyTorch = grant.replaceFirst("^kubeflow\\.org/[a-z]+jobs", "kubeflow.org/pytorchjobs");
      if (!needed.contains(asPyTorch)) {
        unused.add(grant);
      }
    }
    assertEquals(Set.of(), unused, "grants in deploy/kubeflow/rbac.yaml that no request needed");
  }

  private static List<HasMetadata> children(String ns) {
    List<HasMetadata> all = new java.util.ArrayList<>(cluster.pods(ns));
    all.addAll(cluster.services(ns));
    return all;
  }

  private static Set<String> names(JsonNode node) {
    Set<String> names = new TreeSet<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static Map<String, String> env(Pod pod) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar e : pod.getSpec().getContainers().get(0).getEnv()) {
      env.put(e.getName(), e.getValue());
    }
    return env;
  }
}
