package dev.capstan.kubernetes.training;

import static dev.capstan.kubernetes.TestingCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.api.training.TrainingJob;
import dev.capstan.kubernetes.ApiFaults;
import dev.capstan.kubernetes.Jobs;
import dev.capstan.kubernetes.Kubelet;
import dev.capstan.kubernetes.TestingCluster;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The operator crashes right after each of the first k writes of a job took effect (its answer
 * lost, nothing it does afterwards reaches the API server), for every k until the job runs without
 * a crash; a fresh operator on the same API server finishes the job with exactly one pod and one
 * service per replica, all owned by the job, and no restart counted.
 *
 * <p>The operators here elect no leader, so that the fresh one starts at once instead of waiting
 * for the crashed one's Lease to expire; taking over a Lease is covered by LeaderFencingTest.
 */
class OperatorCrashTest {
  private static final List<String> REPLICAS = List.of("ddp-master-0", "ddp-worker-0");

  @Test
  void aCrashAfterAnyOfTheFirstWritesOfAJobLeavesNoDuplicateOrOrphanedPodOrService() {
    try (TestingCluster cluster = new TestingCluster().node("node-a", "16", "64Gi")) {
      Kubelet kubelet = new Kubelet(cluster.client());
      cluster.launch(false);
      int k = 1;
      for (; ; k++) {
        String ns = "crash-" + k;
        ApiFaults.Crash crash = cluster.faults().crashAfterWrites(ns, k);
        cluster.apply(Jobs.pytorch(ns, "ddp", 1));
        await(() -> crash.fired() || running(cluster, kubelet, ns), () -> "job " + ns + "/ddp to run or the operator to crash");
        boolean crashed = crash.disarm();
        if (crashed) {
          cluster.stopOperators();
          cluster.launch(false);
          await(() -> running(cluster, kubelet, ns), () -> "a fresh operator to run " + ns + "/ddp after a crash at write " + crash);
        }
        assertOneOwnedPodAndServicePerReplica(cluster, ns);
        if (!crashed) {
          break;
        }
      }
      assertTrue(k > 5, "a job takes more than a few writes to start; crashes were tried after each of the first " + (k - 1));
    }
  }

  private static boolean running(TestingCluster cluster, Kubelet kubelet, String ns) {
    for (Pod pod : cluster.pods(ns)) {
      if (pod.getStatus() == null || pod.getStatus().getPhase() == null) {
        try {
          kubelet.run(pod);
        } catch (KubernetesClientException e) {
          // deleted meanwhile; the next poll sees what replaced it
        }
      }
    }
    return "Running".equals(cluster.state(ns, "ddp"));
  }

  private static void assertOneOwnedPodAndServicePerReplica(TestingCluster cluster, String ns) {
    TrainingJob job = cluster.job(ns, "ddp");
    assertEquals(REPLICAS, cluster.pods(ns).stream().map(p -> p.getMetadata().getName()).toList(), ns + ": pods");
    assertEquals(REPLICAS, cluster.services(ns).stream().map(s -> s.getMetadata().getName()).toList(), ns + ": services");
    for (HasMetadata child : concat(cluster.pods(ns), cluster.services(ns))) {
      assertEquals(List.of(job.getMetadata().getUid()),
          child.getMetadata().getOwnerReferences().stream().map(o -> o.getUid()).toList(), ns + ": owner of " + child.getMetadata().getName());
    }
    assertTrue(cluster.pods(ns).stream().allMatch(p -> "0".equals(p.getMetadata().getLabels().get("capstan.dev/attempt"))),
        ns + ": a crash is not a replica failure, no pod of a later attempt");
    assertEquals(0, job.getStatus().getRestartCount(), ns + ": restartCount");
  }

  private static List<HasMetadata> concat(List<? extends HasMetadata> a, List<? extends HasMetadata> b) {
    return java.util.stream.Stream.concat(a.stream(), b.stream()).map(HasMetadata.class::cast).toList();
  }
}
