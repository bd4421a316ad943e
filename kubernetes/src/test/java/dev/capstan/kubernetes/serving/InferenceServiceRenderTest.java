package dev.capstan.kubernetes.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.api.codec.Manifests;
import dev.capstan.api.validation.InvalidSpecException;
import dev.capstan.kubernetes.ApiServerRules;
import dev.capstan.kubernetes.RestrictedPodSecurity;
import dev.capstan.kubernetes.render.ClusterRender;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code capstan render} of an InferenceService: its first revision's Deployment and Service. */
class InferenceServiceRenderTest {
  private static final String ISVC = """
      apiVersion: capstan.dev/v1alpha1
      kind: InferenceService
      metadata: {name: iris, namespace: team}
      spec:
        predictor:
          model: {modelFormat: {name: onnx}, storageUri: "https://models.example/iris.onnx"}
          minReplicas: 0
          resources: {requests: {cpu: 500m, memory: 256Mi}}
      """;

  @Test
  void rendersTheFirstRevisionsDeploymentAndServiceThatPassApiRulesAndPodSecurity() {
    List<HasMetadata> objects = ClusterRender.objects(Manifests.toResource(Manifests.parseDocuments(ISVC, "t").get(0)));
    assertEquals(List.of("Deployment", "Service"), objects.stream().map(HasMetadata::getKind).toList());
    Deployment d = (Deployment) objects.get(0);
    Service s = (Service) objects.get(1);
    assertEquals(List.of("iris-predictor-00001", "iris-predictor-00001"), List.of(d.getMetadata().getName(), s.getMetadata().getName()));
    assertEquals("team", d.getMetadata().getNamespace());
    assertEquals(1, d.getSpec().getReplicas(), "a new revision starts with one replica, which proves it can become ready");
    assertEquals(List.of(), d.getMetadata().getOwnerReferences(), "a manifest has no uid: the operator adds the owner");
    var pod = d.getSpec().getTemplate().getSpec();
    assertEquals(List.of("fetch", "https://models.example/iris.onnx", "/mnt/models"), pod.getInitContainers().get(0).getArgs());
    assertEquals("256Mi", pod.getContainers().get(0).getResources().getRequests().get("memory").toString());
    List<String> violations = new ArrayList<>();
    objects.forEach(o -> violations.addAll(ApiServerRules.violations(o)));
    violations.addAll(RestrictedPodSecurity.violations(pod));
    assertEquals(List.of(), violations);
    String yaml = ClusterRender.yaml(objects);
    assertTrue(yaml.startsWith("---\napiVersion: \"apps/v1\"\nkind: \"Deployment\""), yaml.substring(0, 60));
  }

  @Test
  void anInvalidServiceIsRefusedWithItsFieldPath() {
    var invalid = Manifests.toResource(Manifests.parseDocuments(ISVC.replace("minReplicas: 0", "minReplicas: -1"), "t").get(0));
    InvalidSpecException e = assertThrows(InvalidSpecException.class, () -> ClusterRender.objects(invalid));
    assertTrue(e.getMessage().contains("spec.predictor.minReplicas"), e.getMessage());
  }
}
