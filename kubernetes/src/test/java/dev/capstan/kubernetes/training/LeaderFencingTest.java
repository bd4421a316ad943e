package dev.capstan.kubernetes.training;

import static dev.capstan.kubernetes.TestingCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.kubernetes.Jobs;
import dev.capstan.kubernetes.Kubelet;
import dev.capstan.kubernetes.RecordingDispatcher;
import dev.capstan.kubernetes.TestingCluster;
import dev.capstan.kubernetes.TestingCluster.RunningOperator;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A leader frozen in the middle of a pass, past its Lease, while the standby takes over and
 * finishes what the frozen one had started; then resumed. Whatever it had decided on its stale
 * view reaches the API server and is refused with a conflict, and it steps down.
 */
class LeaderFencingTest {
  @Test
  void aLeaderResumedAfterLosingItsLeaseIsFencedAndStepsDown() {
    try (TestingCluster cluster = new TestingCluster().node("node-a", "16", "64Gi")) {
      Kubelet kubelet = new Kubelet(cluster.client());
      RunningOperator first = cluster.launch(true);
      await(() -> first.identity().equals(lease(cluster)), () -> "the first operator to lead");
      RunningOperator standby = cluster.launch(true);
      cluster.apply(Jobs.pytorch("fence", "ddp", 2));
      kubelet.runAll(cluster.awaitPods("fence", 3));
      cluster.awaitState("fence", "ddp", "Running");

      // The leader freezes at its first write of the restart a failed worker asks for.
      first.freeze().atNextWriteIn("fence");
      kubelet.exit(cluster.pods("fence").get(2), 1);
      await(() -> first.freeze().frozen(), () -> "the leader to start the restart");
      await(() -> standby.identity().equals(lease(cluster)), () -> "the standby to take the lease, held by " + lease(cluster));
      await(() -> cluster.pods("fence").size() == 3 && cluster.pods("fence").stream()
          .allMatch(p -> "1".equals(p.getMetadata().getLabels().get("capstan.dev/attempt"))), () -> "the new leader to restart the gang");
      kubelet.runAll(cluster.pods("fence"));
      await(() -> "Running".equals(cluster.state("fence", "ddp")) && cluster.job("fence", "ddp").getStatus().getRestartCount() == 1,
          () -> "Running again after one restart");
      Map<String, String> restarted = uids(cluster.pods("fence"));
      int before = cluster.operatorRequests().size();

      first.freeze().resume();
      await(() -> writes(cluster, first, before).size() > 0, () -> "the resumed leader's held write to reach the API server");
      await(() -> first.leadership().steppedDown(), () -> "the resumed leader to step down");
      List<RecordingDispatcher.Request> stale = writes(cluster, first, before);
      assertTrue(stale.stream().allMatch(r -> r.code() == 409), "every write of the stale leader conflicted: " + stale);
      assertEquals(restarted, uids(cluster.pods("fence")), "the new leader's pods were left alone");
      assertEquals(1, cluster.job("fence", "ddp").getStatus().getRestartCount());
      assertEquals("Running", cluster.state("fence", "ddp"));
    }
  }

  private static List<RecordingDispatcher.Request> writes(TestingCluster cluster, RunningOperator operator, int after) {
    List<RecordingDispatcher.Request> all = cluster.operatorRequests();
    return all.subList(Math.min(after, all.size()), all.size()).stream()
        .filter(r -> operator.agent().equals(r.userAgent()) && !r.method().equals("GET") && r.path().contains("/namespaces/fence/"))
        .toList();
  }

  private static String lease(TestingCluster cluster) {
    var lease = cluster.client().leases().inNamespace(TestingCluster.OPERATOR_NAMESPACE).withName("capstan-operator").get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }

  private static Map<String, String> uids(List<Pod> pods) {
    return pods.stream().collect(Collectors.toMap(p -> p.getMetadata().getName(), p -> p.getMetadata().getUid()));
  }
}
