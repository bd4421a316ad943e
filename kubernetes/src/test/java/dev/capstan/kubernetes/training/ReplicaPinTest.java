package dev.capstan.kubernetes.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.capstan.api.codec.Manifests;
import dev.capstan.api.training.ReplicaId;
import dev.capstan.api.training.TrainingJob;
import dev.capstan.api.training.TrainingJobModel;
import dev.capstan.api.training.TrainingJobStatus;
import dev.capstan.core.training.ReplicaLaunch;
import dev.capstan.kubernetes.ApiServerRules;
import dev.capstan.kubernetes.Jobs;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A replica's pod requires the node its job's admission placed it on, and only then. */
class ReplicaPinTest {
  /** One GPU each for a master and a worker whose template allows two zones. */
  private static final String MANIFEST = withWorkerAffinity(Jobs.pytorchGpus("ml", "ddp", 1, 1, 1), """
                affinity:
                  nodeAffinity:
                    requiredDuringSchedulingIgnoredDuringExecution:
                      nodeSelectorTerms:
                      - matchExpressions: [{key: topology.kubernetes.io/zone, operator: In, values: [a]}]
                      - matchExpressions: [{key: topology.kubernetes.io/zone, operator: In, values: [b]}]
      """);

  /** The job with {@code affinity} at the top of the worker's pod spec. */
  private static String withWorkerAffinity(String job, String affinity) {
    int worker = job.indexOf("Worker:");
    int spec = job.indexOf("spec:\n", worker) + "spec:\n".length();
    return job.substring(0, spec) + affinity + job.substring(spec);
  }

  @Test
  void aPlacedReplicaRequiresItsNodeInEveryTermOfItsTemplatesAffinity() {
    TrainingJob job = admitted(Map.of("master-0", "gpu-b", "worker-0", "gpu-c"));
    Pod master = pod(job, "master");
    assertEquals(List.of(term("gpu-b")), master.getSpec().getAffinity().getNodeAffinity()
        .getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms());
    assertEquals("gpu-b", master.getMetadata().getAnnotations().get(ReplicaObjects.PLACED_ON));
    assertNull(master.getSpec().getNodeName(), "kube-scheduler binds it");

    List<NodeSelectorTerm> worker = pod(job, "worker").getSpec().getAffinity().getNodeAffinity()
        .getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms();
    assertEquals(2, worker.size(), "the template's alternatives stay alternatives");
    for (NodeSelectorTerm t : worker) {
      assertEquals("topology.kubernetes.io/zone", t.getMatchExpressions().get(0).getKey());
      assertEquals(term("gpu-c").getMatchExpressions().get(0), t.getMatchExpressions().get(1), "and each now names the node");
    }
    assertEquals(List.of(), ApiServerRules.violations(master));
  }

  @Test
  void aReplicaWithoutARecordedNodeIsLeftAsItsTemplateSays() {
    TrainingJob partly = admitted(Map.of("worker-0", "gpu-c"));
    assertNull(pod(partly, "master").getSpec().getAffinity());
    TrainingJob unadmitted = admitted(Map.of("master-0", "gpu-b"));
    unadmitted.getStatus().getConditions().clear();
    assertNull(pod(unadmitted, "master").getSpec().getAffinity(), "a placement counts only with the admission");
    TrainingJob rendered = (TrainingJob) Manifests.toResource(Manifests.parseDocuments(MANIFEST, "t").get(0));
    assertEquals(1, pod(rendered, "worker").getSpec().getAffinity().getNodeAffinity()
        .getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms().get(0).getMatchExpressions().size());
  }

  private static TrainingJob admitted(Map<String, String> placement) {
    TrainingJob job = (TrainingJob) Manifests.toResource(Manifests.parseDocuments(MANIFEST, "t").get(0));
    TrainingJobStatus status = new TrainingJobStatus();
    status.setConditions(new java.util.ArrayList<>(List.of(new ConditionBuilder().withType("Admitted").withStatus("True")
        .withReason("Admitted").build())));
    status.setPlacement(placement);
    job.setStatus(status);
    return job;
  }

  private static Pod pod(TrainingJob job, String role) {
    TrainingJobModel model = TrainingJobModel.from(job);
    ReplicaId id = new ReplicaId(role, 0);
    return ReplicaObjects.pod(job, model, new ReplicaLaunch(id, id.name(model.name()), 0, Map.of(), Map.of(), model.groupOf(id)));
  }

  private static NodeSelectorTerm term(String node) {
    return new NodeSelectorTerm(List.of(new io.fabric8.kubernetes.api.model.NodeSelectorRequirement("kubernetes.io/hostname", "In",
        List.of(node))), null);
  }
}
