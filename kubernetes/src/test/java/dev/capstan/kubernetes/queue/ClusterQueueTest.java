package dev.capstan.kubernetes.queue;

import static dev.capstan.kubernetes.TestingCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.api.codec.Manifests;
import dev.capstan.api.queue.Queue;
import dev.capstan.api.training.TrainingJob;
import dev.capstan.kubernetes.EmittedObjects;
import dev.capstan.kubernetes.Jobs;
import dev.capstan.kubernetes.Kubelet;
import dev.capstan.kubernetes.RbacRules;
import dev.capstan.kubernetes.TestingCluster;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
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
 * Queues in cluster mode against a mock API server in CRUD mode, written as it would run on a real
 * cluster (every wait polls for what the operator writes; pods are moved as a kubelet would): the
 * leader's scheduling cycle admits, writes the Admitted condition, and the reconciler creates pods
 * only then; a preemption deletes the victim's pods with its grace period.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterQueueTest {
  static TestingCluster cluster;
  static Kubelet kubelet;
  static int metricsPort;

  @BeforeAll
  static void start() {
    cluster = new TestingCluster().node("node-a", "8", "32Gi");
    kubelet = new Kubelet(cluster.client());
    create("""
        apiVersion: capstan.dev/v1alpha1
        kind: Queue
        metadata: {name: research}
        spec:
          namespaces: [team-a]
          cohort: shared
          resources:
            cpu: {nominalQuota: "1", borrowingLimit: "3"}
        """);
    create("""
        apiVersion: capstan.dev/v1alpha1
        kind: Queue
        metadata: {name: prod}
        spec:
          namespaces: [team-b]
          cohort: shared
          resources:
            cpu: {nominalQuota: "3"}
          preemption: {reclaimWithinCohort: Any}
        """);
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      metricsPort = free.getLocalPort();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    cluster.launch(true, s -> s.withMetricsPort(metricsPort));
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static void create(String yaml) {
    HasMetadata object = Manifests.toResource(Manifests.parseDocuments(yaml, "test").get(0));
    cluster.client().resource(object).create();
  }

  /** A PyTorch job of 1 + {@code workers} pods of 500m CPU each, in {@code queue} at {@code priority}. */
  private static String job(String ns, String name, int workers, String queue, int priority) {
    return Jobs.pytorch(ns, name, workers, "{preemptionGracePeriodSeconds: 45}", "OnFailure")
        .replace("  framework: pytorch\n", "  framework: pytorch\n  queue: " + queue + "\n  priority: " + priority + "\n");
  }

  @Test
  @Order(1)
  void aJobNamingAMissingQueueStaysPendingWithTheReason() {
    cluster.apply(job("team-a", "lost", 0, "nowhere", 0));
    await(() -> condition(cluster.job("team-a", "lost"), "Queued").map(c -> "QueueNotFound".equals(c.getReason())).orElse(false),
        () -> "the job to wait with QueueNotFound: " + status("team-a", "lost"));
    TrainingJob lost = cluster.job("team-a", "lost");
    assertEquals("Queued", lost.getStatus().getState());
    assertEquals("no Queue named 'nowhere'", condition(lost, "Queued").orElseThrow().getMessage());
    assertTrue(condition(lost, "Admitted").isEmpty(), "never admitted");
    assertEquals(List.of(), cluster.pods("team-a"));
    cluster.client().resource(lost).delete();
    await(() -> cluster.job("team-a", "lost") == null, () -> "the job to be deleted");
  }

  @Test
  @Order(2)
  void aHigherPriorityJobReclaimsBorrowedQuotaAndTheVictimIsReadmittedWhenItEnds() {
    // low: 4 pods of 500m = 2 CPUs in research (nominal 1), so it borrows 1 of prod's 3.
    cluster.apply(job("team-a", "low", 3, "research", 0));
    List<Pod> lowPods = cluster.awaitPods("team-a", 4);
    kubelet.runAll(lowPods);
    cluster.awaitState("team-a", "low", "Running");
    await(() -> queueStatus("research").contains("admitted=1") && queueStatus("research").contains("borrowed={cpu=1}"),
        () -> "research to show the job borrowing 1 CPU: " + queueStatus("research"));

    // high: 6 pods = 3 CPUs, all of prod's nominal quota: only reclaiming the borrowed CPU makes room.
    cluster.apply(job("team-b", "high", 5, "prod", 100));
    await(() -> condition(cluster.job("team-a", "low"), "Preempted").isPresent(), () -> "low to be preempted: " + status("team-a", "low"));
    Condition preempted = condition(cluster.job("team-a", "low"), "Preempted").orElseThrow();
    assertEquals("CohortReclaim", preempted.getReason());
    assertTrue(preempted.getMessage().contains("preempted by TrainingJob team-b/high (priority 100)"), preempted.getMessage());
    cluster.awaitPods("team-a", 0);
    assertTrue(cluster.operatorRequests().stream().anyMatch(r -> r.method().equals("DELETE")
            && r.path().startsWith("/api/v1/namespaces/team-a/pods/low-") && r.body() != null && r.body().contains("\"gracePeriodSeconds\":45")),
        "the victim's pods are deleted with its preemptionGracePeriodSeconds");
    cluster.awaitState("team-a", "low", "Queued");
    assertTrue(events("team-a").contains("Preempted"), "the preemption is an event on the job: " + events("team-a"));

    List<Pod> highPods = cluster.awaitPods("team-b", 6);
    kubelet.runAll(highPods);
    cluster.awaitState("team-b", "high", "Running");
    assertEquals(List.of(), cluster.pods("team-a"), "low waits while high holds the quota");

    kubelet.exit(cluster.pods("team-b").get(0), 0);
    cluster.awaitState("team-b", "high", "Succeeded");
    List<Pod> back = cluster.awaitPods("team-a", 4);
    kubelet.runAll(back);
    cluster.awaitState("team-a", "low", "Running");
    TrainingJob low = cluster.job("team-a", "low");
    assertEquals(0, low.getStatus().getRestartCount(), "a preemption is not a restart");
    await(() -> metrics().contains("capstan_queue_preemptions_total{queue=\"research\",reason=\"CohortReclaim\"} 1")
            && metrics().contains("capstan_queue_admission_wait_seconds_count{queue=\"prod\"} 1")
            && metrics().contains("capstan_queue_resource_borrowed{queue=\"research\",resource=\"cpu\"} 1")
            && metrics().contains("capstan_queue_resource_nominal_quota{queue=\"prod\",resource=\"cpu\"} 3"),
        () -> "the operator's queue metrics to count the preemption, high's admission and low's borrowing again:\n" + metrics());
    assertTrue(back.stream().allMatch(p -> "0".equals(p.getMetadata().getLabels().get("capstan.dev/attempt"))), "same attempt");
    assertEquals("False", condition(low, "Preempted").map(Condition::getStatus).orElse("False"));
  }

  @Test
  @Order(3)
  void aQueueServesTheNamespacesItsSelectorMatches() {
    cluster.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("team-ml")
        .addToLabels("team", "ml").endMetadata().build()).create();
    cluster.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("team-x").endMetadata().build()).create();
    create("""
        apiVersion: capstan.dev/v1alpha1
        kind: Queue
        metadata: {name: labelled}
        spec:
          namespaceSelector: {matchLabels: {team: ml}}
          resources:
            cpu: {nominalQuota: "1"}
        """);
    cluster.apply(job("team-ml", "chosen", 0, "labelled", 0));
    kubelet.runAll(cluster.awaitPods("team-ml", 1));
    cluster.awaitState("team-ml", "chosen", "Running");

    cluster.apply(job("team-x", "outside", 0, "labelled", 0));
    await(() -> condition(cluster.job("team-x", "outside"), "Queued")
            .map(c -> c.getMessage().equals("Queue 'labelled' does not serve this namespace")).orElse(false),
        () -> "a job in a namespace the selector does not match to wait, saying why: " + status("team-x", "outside"));
    assertEquals(List.of(), cluster.pods("team-x"));
  }

  @Test
  @Order(4)
  void aQueueSaysWhetherItIsActiveAndWhyNot() {
    await(() -> activeCondition("research").equals("True Ready admitting workloads"),
        () -> "research to be Active: " + activeCondition("research"));
    create("""
        apiVersion: capstan.dev/v1alpha1
        kind: Queue
        metadata: {name: broken}
        spec:
          namespaces: [team-a]
          resources:
            cpu: {nominalQuota: "-1"}
        """);
    await(() -> activeCondition("broken").startsWith("False InvalidSpec not admitting: ")
            && activeCondition("broken").contains("spec.resources.cpu.nominalQuota"),
        () -> "a Queue that does not validate to say so in its Active condition: " + activeCondition("broken"));
  }

  private static String activeCondition(String queue) {
    Queue q = cluster.client().resources(Queue.class).withName(queue).get();
    if (q == null || q.getStatus() == null) {
      return "no status";
    }
    return q.getStatus().getConditions().stream().filter(c -> c.getType().equals("Active"))
        .map(c -> c.getStatus() + " " + c.getReason() + " " + c.getMessage()).findFirst().orElse("no Active condition");
  }

  @Test
  @Order(Integer.MAX_VALUE)
  void everythingTheOperatorEmittedPassesApiRulesAndRbacAndTheQueueGrantsAreNeeded() {
    EmittedObjects.verify(cluster);
    Set<String> unused = new TreeSet<>(RbacRules.QUEUES);
    unused.removeAll(RbacRules.needed(cluster.operatorRequests()));
    assertEquals(Set.of(), unused, "every grant kept for Queues is needed");
  }

  private static Optional<Condition> condition(TrainingJob job, String type) {
    if (job == null || job.getStatus() == null) {
      return Optional.empty();
    }
    return job.getStatus().getConditions().stream().filter(c -> c.getType().equals(type) && "True".equals(c.getStatus())).findFirst();
  }

  private static String status(String ns, String name) {
    TrainingJob job = cluster.job(ns, name);
    return job == null || job.getStatus() == null ? "no status" : job.getStatus().getState() + " " + job.getStatus().getConditions();
  }

  private static String queueStatus(String name) {
    Queue q = cluster.client().resources(Queue.class).withName(name).get();
    if (q == null || q.getStatus() == null) {
      return "no status";
    }
    return "pending=" + q.getStatus().getPendingWorkloads() + " admitted=" + q.getStatus().getAdmittedWorkloads()
        + " usage=" + q.getStatus().getUsage() + " borrowed=" + q.getStatus().getBorrowed();
  }

  /** The operator's GET /metrics, as Prometheus scrapes it. */
  private static String metrics() {
    try {
      var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
          java.net.URI.create("http://127.0.0.1:" + metricsPort + "/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
      return response.statusCode() + "\n" + response.body();
    } catch (java.io.IOException e) {
      return e.toString();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static List<String> events(String ns) {
    return cluster.client().v1().events().inNamespace(ns).list().getItems().stream().map(e -> e.getReason()).toList();
  }
}
