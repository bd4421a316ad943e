package dev.capstan.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.api.codec.Manifests;
import dev.capstan.api.training.TrainingJob;
import dev.capstan.kubernetes.render.ClusterRender;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code capstan render}: the operator's objects for a manifest, without a cluster. */
class ClusterRenderTest {
  @Test
  void rendersOneServiceAndOnePodPerReplicaThatPassApiRulesAndPodSecurity() {
    TrainingJob job = (TrainingJob) Manifests.toResource(Manifests.parseDocuments(Jobs.tensorflow("team", "census"), "t").get(0));
    List<HasMetadata> objects = ClusterRender.objects(job);
    assertEquals(List.of("Service", "Service", "Service", "Service", "Pod", "Pod", "Pod", "Pod"),
        objects.stream().map(HasMetadata::getKind).toList());
    List<String> violations = new ArrayList<>();
    for (HasMetadata o : objects) {
      violations.addAll(ApiServerRules.violations(o));
      if (o instanceof Pod p) {
        violations.addAll(RestrictedPodSecurity.violations(p.getSpec()));
      }
    }
    assertEquals(List.of(), violations);
    String yaml = ClusterRender.yaml(objects);
    assertTrue(yaml.startsWith("---\napiVersion: \"v1\"\nkind: \"Service\""), yaml.substring(0, 60));
    assertEquals(8, yaml.split("(?m)^---$").length - 1);
  }

  @Test
  void privilegedAndRootContainersRenderToPodsTheApiServerAndKubeletAccept() {
    TrainingJob job = (TrainingJob) Manifests.toResource(Manifests.parseDocuments("""
        apiVersion: capstan.dev/v1alpha1
        kind: TrainingJob
        metadata: {name: nccl-tuned, namespace: team}
        spec:
          framework: pytorch
          replicas:
            Master:
              replicas: 1
              template:
                spec:
                  containers:
                  - name: pytorch
                    image: ghcr.io/example/ddp:1
                    securityContext: {privileged: true}
            Worker:
              replicas: 1
              template:
                spec:
                  containers:
                  - name: pytorch
                    image: ghcr.io/example/ddp:1
                    securityContext: {runAsUser: 0, capabilities: {add: [CAP_SYS_ADMIN]}}
        """, "t").get(0));
    List<HasMetadata> objects = ClusterRender.objects(job);
    List<String> violations = new ArrayList<>();
    objects.forEach(o -> violations.addAll(ApiServerRules.violations(o)));
    assertEquals(List.of(), violations);
    Pod master = (Pod) objects.stream().filter(o -> o instanceof Pod && o.getMetadata().getName().equals("nccl-tuned-master-0"))
        .findFirst().orElseThrow();
    var sc = master.getSpec().getContainers().get(0).getSecurityContext();
    assertEquals(true, sc.getPrivileged());
    assertEquals(null, sc.getAllowPrivilegeEscalation());
  }

  @Test
  void everyExampleRenders() throws Exception {
    Path examples = RbacRules.committed().getParent().getParent().resolve("examples/training");
    try (var files = Files.list(examples)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        for (var doc : Manifests.parseDocuments(Files.readString(f), f.toString())) {
          List<HasMetadata> objects = ClusterRender.objects((TrainingJob) Manifests.toResource(doc));
          assertTrue(objects.size() >= 2, f.toString());
          objects.forEach(o -> assertEquals(List.of(), ApiServerRules.violations(o), f.toString()));
        }
      }
    }
  }
}
