package dev.capstan.kubernetes.training;

import static dev.capstan.kubernetes.TestingCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.api.training.TrainingJob;
import dev.capstan.kubernetes.Jobs;
import dev.capstan.kubernetes.Kubelet;
import dev.capstan.kubernetes.TestingCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Faults of the API server and of the objects around the operator: throttling and server errors,
 * an outage, children deleted while the operator was down, and a namespace being deleted. One
 * operator (restarted where a test needs it) on one mock API server.
 */
class ClusterFaultsTest {
  static TestingCluster cluster;
  static Kubelet kubelet;

  @BeforeAll
  static void start() {
    cluster = new TestingCluster().node("node-a", "16", "64Gi");
    kubelet = new Kubelet(cluster.client());
    cluster.launch(false);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void throttlingAndServerErrorsAreRetriedAndFailNoJob() {
    cluster.server().expect().post().withPath("/api/v1/namespaces/flaky/pods").andReturn(429, status(429, "TooManyRequests")).times(2);
    cluster.server().expect().post().withPath("/api/v1/namespaces/flaky/services").andReturn(500, status(500, "InternalError")).times(2);
    cluster.server().expect().put().withPath("/apis/capstan.dev/v1alpha1/namespaces/flaky/trainingjobs/f/status")
        .andReturn(503, status(503, "ServiceUnavailable")).times(2);
    cluster.server().expect().put().withPath("/apis/capstan.dev/v1alpha1/namespaces/flaky/trainingjobs/f/status")
        .andReturn(409, status(409, "Conflict")).once();
    cluster.server().expect().get().withPath("/api/v1/namespaces/flaky/pods?labelSelector=capstan.dev%2Ftrainingjob%3Df")
        .andReturn(504, status(504, "Timeout")).times(2);
    cluster.apply(Jobs.pytorch("flaky", "f", 1));
    kubelet.runAll(cluster.awaitPods("flaky", 2));
    cluster.awaitState("flaky", "f", "Running");
    assertNeverFailed("flaky", "f");
    assertEquals(2, cluster.services("flaky").size());
  }

  /**
   * The outage here lasts until the operator has been refused a good number of requests rather
   * than 15 s: what it exercises (retries with capped backoff, passes re-run, no failure recorded
   * from an API error) does not depend on the length. A leader losing its Lease during a long
   * outage steps down and, in a cluster, is restarted; LeaderFencingTest covers stepping down.
   */
  @Test
  void anApiServerOutageFailsNoJobAndReconcilingResumes() {
    cluster.apply(Jobs.pytorch("outage", "o", 1));
    kubelet.runAll(cluster.awaitPods("outage", 2));
    cluster.awaitState("outage", "o", "Running");
    int refusedBefore = cluster.faults().refusedDuringOutage();
    cluster.faults().outage(true);
    try {
      // A replica fails as the operator loses the API server; it hears of the failure and cannot act on it.
      kubelet.exit(cluster.pods("outage").get(1), 1);
      await(() -> cluster.faults().refusedDuringOutage() > refusedBefore + 5, () -> "the operator to be refused during the outage");
    } finally {
      cluster.faults().outage(false);
    }
    await(() -> cluster.pods("outage").size() == 2 && cluster.pods("outage").stream()
        .allMatch(p -> "1".equals(p.getMetadata().getLabels().get("capstan.dev/attempt"))),
        () -> "reconciling to resume and restart the gang; " + gang("outage", "o"));
    kubelet.runAll(cluster.pods("outage"));
    cluster.awaitState("outage", "o", "Running");
    assertNeverFailed("outage", "o");
  }

  @Test
  void podsAndServicesDeletedWhileTheOperatorIsDownAreRecreated() {
    cluster.apply(Jobs.pytorch("lost", "l", 1));
    cluster.apply(Jobs.pytorch("lost", "s", 1));
    kubelet.runAll(cluster.awaitPods("lost", 4));
    cluster.awaitState("lost", "l", "Running");
    cluster.awaitState("lost", "s", "Running");
    Map<String, String> servedPods = uids(cluster.pods("lost").stream().filter(p -> p.getMetadata().getName().startsWith("s-")).toList());

    cluster.stopOperators();
    for (HasMetadata child : Stream.concat(cluster.pods("lost").stream(), cluster.services("lost").stream()).toList()) {
      boolean all = child.getMetadata().getName().startsWith("l-");
      if (all || child.getKind().equals("Service")) {
        cluster.client().resource(child).delete();
      }
    }
    cluster.launch(false);

    // Job l lost everything: its replicas are lost, and restarted as a new attempt with their services.
    await(() -> names(cluster.pods("lost"), "l-").equals(List.of("l-master-0", "l-worker-0"))
        && names(cluster.services("lost"), "l-").equals(List.of("l-master-0", "l-worker-0")), () -> "job l's pods and services again");
    kubelet.runAll(cluster.pods("lost").stream().filter(p -> p.getMetadata().getName().startsWith("l-")).toList());
    cluster.awaitState("lost", "l", "Running");
    // Job s lost only its services: they come back, its running pods are kept and nothing restarts.
    await(() -> names(cluster.services("lost"), "s-").equals(List.of("s-master-0", "s-worker-0")), () -> "job s's services again");
    assertEquals(servedPods, uids(cluster.pods("lost").stream().filter(p -> p.getMetadata().getName().startsWith("s-")).toList()));
    assertEquals(0, cluster.job("lost", "s").getStatus().getRestartCount());
    assertEquals("Running", cluster.state("lost", "s"));
  }

  @Test
  void aNamespaceBeingDeletedIsLeftEmptyAndTheOperatorGoesOn() {
    cluster.apply(Jobs.pytorch("doomed", "d", 1));
    kubelet.runAll(cluster.awaitPods("doomed", 2));
    cluster.awaitState("doomed", "d", "Running");
    assertTrue(cluster.job("doomed", "d").getMetadata().getFinalizers() == null
        || cluster.job("doomed", "d").getMetadata().getFinalizers().isEmpty(), "no finalizer of the operator holds the namespace");

    // The namespace controller refuses new content, then deletes what is there: the pods first, the worst order.
    cluster.faults().terminate("doomed");
    cluster.pods("doomed").forEach(p -> cluster.client().resource(p).delete());
    await(() -> cluster.operatorRequests().stream().anyMatch(r -> r.method().equals("POST") && r.code() == 403
        && r.path().equals("/api/v1/namespaces/doomed/services") || r.path().equals("/api/v1/namespaces/doomed/pods")),
        () -> "the operator to try to replace the lost replicas");
    cluster.services("doomed").forEach(s -> cluster.client().resource(s).delete());
    cluster.client().resources(TrainingJob.class).inNamespace("doomed").withName("d").delete();
    await(() -> cluster.job("doomed", "d") == null, () -> "the job to be gone");
    assertEquals(List.of(), cluster.pods("doomed"));
    assertEquals(List.of(), cluster.services("doomed"));

    cluster.apply(Jobs.pytorch("after-doomed", "a", 1));
    kubelet.runAll(cluster.awaitPods("after-doomed", 2));
    cluster.awaitState("after-doomed", "a", "Running");
    assertEquals(List.of(), cluster.pods("doomed"), "nothing was created in the deleted namespace");
  }

  private static void assertNeverFailed(String ns, String name) {
    TrainingJob job = cluster.job(ns, name);
    assertTrue(job.getStatus().getConditions().stream().noneMatch(c -> c.getType().equals("Failed") && c.getStatus().equals("True")),
        "no Failed condition: " + job.getStatus().getConditions());
    assertTrue(cluster.client().v1().events().inNamespace(ns).list().getItems().stream().noneMatch(e -> "Failed".equals(e.getReason())),
        "no Failed event");
  }

  /** The job's state, message and restarts with each pod's attempt and phase, for a wait that gives up. */
  private static String gang(String ns, String name) {
    TrainingJob job = cluster.job(ns, name);
    String status = job == null || job.getStatus() == null ? "no status"
        : job.getStatus().getState() + " (restarts " + job.getStatus().getRestartCount() + "): " + job.getStatus().getMessage();
    return "the job is " + status + "; pods " + cluster.pods(ns).stream().map(p -> p.getMetadata().getName() + " attempt "
        + p.getMetadata().getLabels().get("capstan.dev/attempt") + " " + (p.getStatus() == null ? "" : p.getStatus().getPhase())).toList();
  }

  private static Status status(int code, String reason) {
    return new StatusBuilder().withStatus("Failure").withReason(reason).withCode(code).withMessage("injected " + code).build();
  }

  private static List<String> names(List<? extends HasMetadata> objects, String prefix) {
    return objects.stream().map(o -> o.getMetadata().getName()).filter(n -> n.startsWith(prefix)).sorted().toList();
  }

  private static Map<String, String> uids(List<Pod> pods) {
    return pods.stream().collect(Collectors.toMap(p -> p.getMetadata().getName(), p -> p.getMetadata().getUid()));
  }
}
