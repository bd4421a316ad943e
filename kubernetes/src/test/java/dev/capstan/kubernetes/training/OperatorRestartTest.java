package dev.capstan.kubernetes.training;

import static dev.capstan.kubernetes.TestingCluster.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.capstan.api.codec.Manifests;
import dev.capstan.api.training.TrainingJob;
import dev.capstan.api.training.TrainingJobModel;
import dev.capstan.api.training.TrainingJobStatus;
import dev.capstan.core.training.AdmissionRecord;
import dev.capstan.core.queue.AdmissionDecision;
import dev.capstan.core.training.PlanInput;
import dev.capstan.core.training.ReplicaAction;
import dev.capstan.core.training.TrainingPlanner;
import dev.capstan.core.training.Observed;
import dev.capstan.core.training.env.ClusterAddressing;
import dev.capstan.kubernetes.EmittedObjects;
import dev.capstan.kubernetes.Jobs;
import dev.capstan.kubernetes.Kubelet;
import dev.capstan.kubernetes.TestingCluster;
import io.fabric8.kubernetes.api.model.Pod;
import io.javaoperatorsdk.operator.Operator;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Stopping and restarting the operator mid-job, and a pass interrupted half way, create no duplicates. */
class OperatorRestartTest {
  @Test
  void anOperatorRestartedMidJobContinuesWithoutDuplicatesOrDoubleCountedRestarts() {
    try (TestingCluster cluster = new TestingCluster().node("node-a", "16", "64Gi")) {
      Kubelet kubelet = new Kubelet(cluster.client());
      TrainingJob job = cluster.apply(Jobs.pytorch("ha", "ddp", 2));

      // A previous leader admitted the job, then crashed half way through the first pass that
      // started it: one replica's pod and service exist.
      TrainingJobStatus queued = new TrainingJobStatus();
      queued.setState("Queued");
      job.setStatus(queued);
      job.setStatus(AdmissionRecord.recorded(job, AdmissionDecision.admitted(), Instant.now()).orElseThrow());
      job = cluster.client().resource(job).updateStatus();
      TrainingJobModel model = TrainingJobModel.from(job);
      var plan = TrainingPlanner.plan(new PlanInput(model, null, Observed.none(), AdmissionDecision.admitted(),
          new ClusterAddressing(model), Instant.now(), false));
      var first = ((ReplicaAction.Start) plan.actions().get(0)).launch();
      cluster.client().resource(ReplicaObjects.service(job, model, first.id(), first.attempt())).create();
      Pod survivor = cluster.client().resource(ReplicaObjects.pod(job, model, first)).create();

      cluster.startOperator();
      List<Pod> pods = cluster.awaitPods("ha", 3);
      assertEquals(survivor.getMetadata().getUid(), uids(pods).get("ddp-master-0"), "the half-created replica was kept");
      kubelet.runAll(pods);
      cluster.awaitState("ha", "ddp", "Running");

      cluster.stopOperators();
      kubelet.exit(cluster.pods("ha").get(1), 137);
      cluster.startOperator();
      await(() -> cluster.pods("ha").size() == 3 && cluster.pods("ha").stream()
          .allMatch(p -> "1".equals(p.getMetadata().getLabels().get("capstan.dev/attempt"))), () -> "the gang restarted once");
      await(() -> cluster.job("ha", "ddp").getStatus().getRestartCount() == 1, () -> "restartCount 1");
      kubelet.runAll(cluster.pods("ha"));
      await(() -> "Running".equals(cluster.state("ha", "ddp")) && cluster.job("ha", "ddp").getStatus().getRestartCount() == 1,
          () -> "Running after one restart");

      cluster.stopOperators();
      Map<String, String> before = uids(cluster.pods("ha"));
      long observedBefore = observations(cluster);
      cluster.startOperator();
      await(() -> observations(cluster) > observedBefore, () -> "the third operator to observe the job");
      // A pod event wakes the job again; passes over one job never overlap, so the first one finished.
      cluster.client().pods().inNamespace("ha").withName("ddp-master-0").edit(p -> {
        p.getMetadata().getAnnotations().put("example.com/touched", "true");
        return p;
      });
      await(() -> observations(cluster) > observedBefore + 1, () -> "a second pass of the third operator");
      assertEquals(before, uids(cluster.pods("ha")), "a third operator found nothing to change");
      long podCreates = cluster.operatorRequests().stream()
          .filter(r -> r.method().equals("POST") && r.path().equals("/api/v1/namespaces/ha/pods")).count();
      assertEquals(2 + 3, podCreates, "two pods at first (one survived the crash), three for the restart, none after");
      EmittedObjects.verify(cluster);
    }
  }

  @Test
  void twoOperatorsReconcileThroughOneLeaderAndTheStandbyTakesOver() {
    try (TestingCluster cluster = new TestingCluster().node("node-a", "16", "64Gi")) {
      Kubelet kubelet = new Kubelet(cluster.client());
      Operator first = cluster.startOperator();
      cluster.startOperator();
      cluster.apply(Jobs.pytorch("pair", "ddp", 2));
      kubelet.runAll(cluster.awaitPods("pair", 3));
      cluster.awaitState("pair", "ddp", "Running");
      assertEquals(3, podCreates(cluster, "pair"), "one leader created the pods, once");

      String leader = lease(cluster);
      assertEquals("test-0", leader);
      first.stop();
      await(() -> "test-1".equals(lease(cluster)), () -> "the standby to take the lease, held by " + lease(cluster));
      kubelet.exit(cluster.pods("pair").get(2), 1);
      await(() -> cluster.pods("pair").stream().allMatch(p -> "1".equals(p.getMetadata().getLabels().get("capstan.dev/attempt")))
          && cluster.pods("pair").size() == 3, () -> "the new leader to restart the gang");
      assertEquals(6, podCreates(cluster, "pair"));
    }
  }

  private static String lease(TestingCluster cluster) {
    var lease = cluster.client().leases().inNamespace(TestingCluster.OPERATOR_NAMESPACE).withName("capstan-operator").get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }

  private static long podCreates(TestingCluster cluster, String ns) {
    return cluster.operatorRequests().stream()
        .filter(r -> r.method().equals("POST") && r.path().equals("/api/v1/namespaces/" + ns + "/pods")).count();
  }

  private static long observations(TestingCluster cluster) {
    return cluster.operatorRequests().stream()
        .filter(r -> r.method().equals("GET") && r.path().startsWith("/api/v1/namespaces/ha/pods?labelSelector")).count();
  }

  private static Map<String, String> uids(List<Pod> pods) {
    return pods.stream().collect(Collectors.toMap(p -> p.getMetadata().getName(), p -> p.getMetadata().getUid()));
  }
}
