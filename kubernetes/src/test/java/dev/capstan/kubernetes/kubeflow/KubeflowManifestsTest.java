package dev.capstan.kubernetes.kubeflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.codec.Manifests;
import dev.capstan.api.kubeflow.KubeflowKind;
import dev.capstan.kubernetes.ChartTemplates;
import dev.capstan.kubernetes.RbacRules;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The kubeflow.org CRDs and RBAC as committed (deploy/kubeflow/, the chart) and as the chart renders
 * them with kubeflowJobs on and off. Regenerate the CRD copies with
 * {@code mvn -pl kubernetes test -Dtest=KubeflowManifestsTest -Dcapstan.updateManifests=true}.
 */
class KubeflowManifestsTest {
  static final Path ROOT = RbacRules.committed().getParent().getParent();
  static final Path CHART = ROOT.resolve("charts/capstan");

  @Test
  void committedCrdCopiesAreWhatKubeflowCrdsBuilds() throws IOException {
    String built = KubeflowCrds.yaml();
    for (Path copy : List.of(ROOT.resolve("deploy/kubeflow/crds.yaml"), CHART.resolve("kubeflow/crds.yaml"))) {
      if (Boolean.getBoolean("capstan.updateManifests")) {
        Files.writeString(copy, built);
      }
      assertEquals(built, Files.readString(copy), copy + " differs from KubeflowCrds.yaml(); regenerate it (see this test's javadoc)");
    }
  }

  @Test
  void eachCrdIsKubeflowsKindNamespacedV1WithStatusOpenSchemaAndCapstansLabel() {
    for (KubeflowKind kind : KubeflowKind.values()) {
      CustomResourceDefinition crd = KubeflowCrds.of(kind);
      var spec = crd.getSpec();
      assertEquals(List.of(kind.plural() + ".kubeflow.org", "kubeflow.org", "Namespaced", kind.kind(), kind.kind() + "List",
          kind.plural(), kind.singular()), List.of(crd.getMetadata().getName(), spec.getGroup(), spec.getScope(),
          spec.getNames().getKind(), spec.getNames().getListKind(), spec.getNames().getPlural(), spec.getNames().getSingular()));
      assertTrue(spec.getNames().getShortNames() == null || spec.getNames().getShortNames().isEmpty(), "Kubeflow has no short names");
      var version = spec.getVersions().get(0);
      assertEquals(List.of(1, "v1", true, true), List.of(spec.getVersions().size(), version.getName(), version.getServed(), version.getStorage()));
      assertTrue(version.getSubresources().getStatus() != null);
      var properties = version.getSchema().getOpenAPIV3Schema().getProperties();
      assertTrue(properties.get("spec").getXKubernetesPreserveUnknownFields());
      assertTrue(properties.get("status").getXKubernetesPreserveUnknownFields());
      assertTrue(KubeflowCrds.isCapstans(crd));
    }
  }

  @Test
  void withKubeflowJobsOffTheChartRendersNoKubeflowObjectAndTheOperatorLeavesTheKindsAlone() throws IOException {
    ChartTemplates chart = new ChartTemplates(CHART, values(false));
    assertEquals(List.of(), documents(chart.render("kubeflow-crds.yaml")));
    assertEquals(List.of(), documents(chart.render("kubeflow-rbac.yaml")));
    assertTrue(chart.render("deployment.yaml").contains("- name: CAPSTAN_KUBEFLOW_JOBS\n          value: \"false\""));
    JsonNode defaults = Manifests.parseDocuments(Files.readString(CHART.resolve("values.yaml")), "values").get(0);
    assertEquals(false, defaults.path("kubeflowJobs").path("enabled").asBoolean(true), "off by default");
    assertTrue(Files.readString(ROOT.resolve("deploy/operator.yaml")).contains("- name: CAPSTAN_KUBEFLOW_JOBS\n          value: \"false\""));
  }

  @Test
  void withKubeflowJobsOnTheChartInstallsTheSixCrdsTheirRbacAndTurnsTheOperatorSettingOn() throws IOException {
    ChartTemplates chart = new ChartTemplates(CHART, values(true));
    List<JsonNode> crds = documents(chart.render("kubeflow-crds.yaml"));
    assertEquals(KubeflowCrds.all().stream().map(c -> (JsonNode) Manifests.json().valueToTree(c)).toList(),
        crds.stream().map(d -> (JsonNode) Manifests.json().valueToTree(Manifests.json().convertValue(d, CustomResourceDefinition.class))).toList());
    Path rendered = Files.createTempFile("kubeflow-rbac", ".yaml");
    try {
      Files.writeString(rendered, chart.render("kubeflow-rbac.yaml"));
      assertEquals(RbacRules.granted(ROOT.resolve("deploy/kubeflow/rbac.yaml")), RbacRules.granted(rendered));
    } finally {
      Files.delete(rendered);
    }
    assertTrue(chart.render("deployment.yaml").contains("- name: CAPSTAN_KUBEFLOW_JOBS\n          value: \"true\""));
  }

  /** The install-time refusal looks up every kind's CRD, and fails on one without Capstan's label. */
  @Test
  void theChartLooksUpEveryKindsCrdAndFailsOnAForeignOne() throws IOException {
    String template = Files.readString(CHART.resolve("templates/kubeflow-crds.yaml"));
    String plurals = Arrays.stream(KubeflowKind.values()).map(k -> "\"" + k.plural() + "\"").reduce((a, b) -> a + " " + b).orElseThrow();
    assertTrue(template.contains("range $plural := list " + plurals + " }}"), template);
    assertTrue(template.contains("lookup \"apiextensions.k8s.io/v1\" \"CustomResourceDefinition\" \"\" (printf \"%s.kubeflow.org\" $plural)"));
    assertTrue(template.contains("(get $labels \"" + KubeflowCrds.OWNER_LABEL + "\") \"" + KubeflowCrds.OWNER + "\""));
    assertTrue(template.contains("{{- fail "));
  }

  private static JsonNode values(boolean kubeflow) throws IOException {
    ObjectNode values = (ObjectNode) Manifests.parseDocuments(Files.readString(CHART.resolve("values.yaml")), "values").get(0);
    values.putObject("kubeflowJobs").put("enabled", kubeflow);
    return values;
  }

  private static List<JsonNode> documents(String yaml) {
    return Manifests.parseDocuments(yaml, "rendered").stream().filter(d -> d != null && !d.isNull() && !d.isMissingNode()).map(d -> (JsonNode) d).toList();
  }
}
