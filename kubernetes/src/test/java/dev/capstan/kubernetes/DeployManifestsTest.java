package dev.capstan.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.api.codec.Manifests;
import dev.capstan.kubernetes.security.PodSecurityLevel;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The CRD is generated from the api classes at build time; the copies committed in deploy/ and in
 * the Helm chart must be exactly what the build generates, and the chart's RBAC must be the
 * committed one. Regenerate the copies with
 * {@code mvn -pl kubernetes test -Dtest=DeployManifestsTest -Dcapstan.updateManifests=true}.
 */
class DeployManifestsTest {
  static final List<String> CRDS = List.of("trainingjobs.capstan.dev-v1.yml", "inferenceservices.capstan.dev-v1.yml",
      "models.capstan.dev-v1.yml", "modelversions.capstan.dev-v1.yml", "queues.capstan.dev-v1.yml",
      "workloadpriorityclasses.capstan.dev-v1.yml");

  @Test
  void committedCrdCopiesMatchWhatTheBuildGenerates() throws IOException {
    for (String crd : CRDS) {
      committedCopiesMatch(crd);
    }
  }

  private static void committedCopiesMatch(String crd) throws IOException {
    String generated = generated(crd);
    Path root = RbacRules.committed().getParent().getParent();
    for (Path copy : List.of(root.resolve("deploy/crds").resolve(crd), root.resolve("charts/capstan/crds").resolve(crd))) {
      if (Boolean.getBoolean("capstan.updateManifests")) {
        Files.writeString(copy, generated);
      }
      assertTrue(Files.exists(copy), copy + " is missing");
      assertEquals(generated, Files.readString(copy), copy + " differs from the generated CRD; regenerate it (see this test's javadoc)");
    }
  }

  @Test
  void theChartGrantsExactlyTheCommittedRbac() throws IOException {
    Path root = RbacRules.committed().getParent().getParent();
    String template = Files.readString(root.resolve("charts/capstan/templates/rbac.yaml"))
        .replaceAll("\\{\\{[^}]*}}", "release");
    Path rendered = Files.createTempFile("rbac", ".yaml");
    try {
      Files.writeString(rendered, template);
      assertEquals(RbacRules.granted(RbacRules.committed()), RbacRules.granted(rendered));
    } finally {
      Files.delete(rendered);
    }
  }

  @Test
  void theCrdValidatesEnumsBoundsRequiredFieldsAndCrossFieldRules() {
    CustomResourceDefinition crd = TestingCluster.generatedCrd();
    CustomResourceDefinitionVersion v = crd.getSpec().getVersions().get(0);
    assertTrue(v.getStorage() && v.getServed());
    assertTrue(v.getSubresources().getStatus() != null, "status subresource");
    Set<String> columns = new TreeSet<>();
    v.getAdditionalPrinterColumns().forEach(c -> columns.add(c.getName() + "=" + c.getJsonPath()));
    assertEquals(Set.of("Age=.metadata.creationTimestamp", "Replicas=.status.replicas", "Restarts=.status.restartCount",
        "State=.status.state"), columns);
    JSONSchemaProps spec = v.getSchema().getOpenAPIV3Schema().getProperties().get("spec");
    assertEquals(List.of("framework", "replicas"), spec.getRequired());
    assertTrue(spec.getProperties().get("framework").getPattern().contains("pytorch|tensorflow|mxnet"));
    Set<String> rules = new TreeSet<>();
    spec.getXKubernetesValidations().forEach(r -> rules.add(r.getRule()));
    assertTrue(rules.contains("self.framework == oldSelf.framework"), "framework is immutable: " + rules);
    JSONSchemaProps group = spec.getProperties().get("replicas").getAdditionalProperties().getSchema();
    assertEquals(List.of("template"), group.getRequired());
    assertEquals(0.0, group.getProperties().get("count").getMinimum());
    assertTrue(group.getProperties().get("restartPolicy").getPattern().contains("ExitCode"));
    JSONSchemaProps run = spec.getProperties().get("runPolicy");
    assertEquals(1.0, run.getProperties().get("activeDeadlineSeconds").getMinimum());
    assertEquals("^(All|Running|None)$", run.getProperties().get("cleanPodPolicy").getPattern());
  }

  /** The chart's value and the plain manifest both set the operator's level, and to one it accepts. */
  @Test
  void theOperatorsPodSecurityLevelIsAChartValueAndSetInThePlainManifest() throws IOException {
    Path root = RbacRules.committed().getParent().getParent();
    JsonNode values = Manifests.parseDocuments(Files.readString(root.resolve("charts/capstan/values.yaml")), "values").get(0);
    assertEquals(PodSecurityLevel.RESTRICTED, PodSecurityLevel.parse(values.path("podSecurity").asText(), "values.yaml podSecurity"));
    assertTrue(Files.readString(root.resolve("charts/capstan/templates/deployment.yaml"))
        .contains("- name: CAPSTAN_POD_SECURITY\n          value: {{ .Values.podSecurity | quote }}"));
    JsonNode operator = Manifests.parseDocuments(Files.readString(root.resolve("deploy/operator.yaml")), "operator").stream()
        .filter(d -> d.path("kind").asText().equals("Deployment")).findFirst().orElseThrow();
    String level = "";
    for (JsonNode env : operator.path("spec").path("template").path("spec").path("containers").get(0).path("env")) {
      if (env.path("name").asText().equals("CAPSTAN_POD_SECURITY")) {
        level = env.path("value").asText();
      }
    }
    assertEquals(PodSecurityLevel.RESTRICTED, PodSecurityLevel.parse(level, "deploy/operator.yaml CAPSTAN_POD_SECURITY"));
  }

  @Test
  void examplesPassTheCrdPatterns() throws IOException {
    Path root = RbacRules.committed().getParent().getParent();
    try (var files = Files.list(root.resolve("examples/training"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        for (JsonNode doc : Manifests.parseDocuments(Files.readString(f), f.toString())) {
          JsonNode spec = doc.path("spec");
          assertTrue(spec.path("framework").asText().matches("^(pytorch|tensorflow|mxnet|jax|xgboost|generic)$"), f.toString());
          spec.path("replicas").forEach(g -> assertTrue(!g.has("restartPolicy")
              || g.path("restartPolicy").asText().matches("^(Always|OnFailure|Never|ExitCode)$"), f.toString()));
        }
      }
    }
  }

  private static String generated(String crd) throws IOException {
    try (InputStream in = DeployManifestsTest.class.getResourceAsStream("/META-INF/fabric8/" + crd)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
