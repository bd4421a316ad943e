package dev.capstan.kubernetes.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.codec.Manifests;
import dev.capstan.kubernetes.ChartTemplates;
import dev.capstan.kubernetes.RbacRules;
import dev.capstan.kubernetes.RestrictedPodSecurity;
import dev.capstan.kubernetes.serving.ServingSettings;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The gateway as the chart and deploy/gateway.yaml install it: the same read-only RBAC, a pod that
 * passes Pod Security "restricted", the ports the operator and the services' URLs expect, and
 * nothing at all with {@code gateway.enabled: false}.
 */
class GatewayManifestsTest {
  static final Path ROOT = RbacRules.committed().getParent().getParent();
  static final Path CHART = ROOT.resolve("charts/capstan");
  static final Path PLAIN = ROOT.resolve("deploy/gateway.yaml");

  @Test
  void theChartGrantsTheGatewayExactlyWhatDeployGatewayYamlDoes() throws IOException {
    Path rendered = Files.createTempFile("gateway-rbac", ".yaml");
    try {
      Files.writeString(rendered, chart(true).render("gateway-rbac.yaml"));
      assertEquals(RbacRules.granted(PLAIN), RbacRules.granted(rendered));
    } finally {
      Files.delete(rendered);
    }
  }

  @Test
  void bothGatewayDeploymentsRunRestrictedWithTheServicePortsAndTheLoadPort() throws IOException {
    for (List<JsonNode> docs : List.of(documents(Files.readString(PLAIN)), documents(chart(true).render("gateway.yaml")))) {
      Deployment deployment = Manifests.json().convertValue(docs.stream()
          .filter(d -> d.path("kind").asText().equals("Deployment")).findFirst().orElseThrow(), Deployment.class);
      var pod = deployment.getSpec().getTemplate().getSpec();
      assertEquals(List.of(), RestrictedPodSecurity.violations(pod));
      assertEquals(ServingSettings.GATEWAY_NAME, deployment.getMetadata().getName());
      assertEquals("capstan-gateway", pod.getServiceAccountName());
      var container = pod.getContainers().get(0);
      assertEquals(List.of("gateway", "--port", "8080", "--grpc-port", "8081", "--load-port",
          Integer.toString(ServingSettings.DEFAULT_LOAD_PORT)), container.getArgs());
      assertEquals(LoadEndpoint.READY_PATH, container.getReadinessProbe().getHttpGet().getPath());
      assertEquals(ServingSettings.defaults("x").gatewaySelector(), "app.kubernetes.io/name="
          + deployment.getSpec().getTemplate().getMetadata().getLabels().get("app.kubernetes.io/name"));
      JsonNode service = docs.stream().filter(d -> d.path("kind").asText().equals("Service")).findFirst().orElseThrow();
      assertEquals(ServingSettings.GATEWAY_NAME, service.path("metadata").path("name").asText());
      assertEquals(80, service.path("spec").path("ports").get(0).path("port").asInt(), "status.url names no port");
    }
  }

  @Test
  void withTheGatewayOffTheChartRendersNoGateway() throws IOException {
    assertEquals(List.of(), documents(chart(false).render("gateway.yaml")));
    assertEquals(List.of(), documents(chart(false).render("gateway-rbac.yaml")));
    assertTrue(chart(true).render("deployment.yaml").contains("- name: CAPSTAN_SERVE_IMAGE\n          value: \"capstan-replica:0.1.0\""));
  }

  private static ChartTemplates chart(boolean gateway) throws IOException {
    ObjectNode values = (ObjectNode) Manifests.parseDocuments(Files.readString(CHART.resolve("values.yaml")), "values").get(0);
    ((ObjectNode) values.path("gateway")).put("enabled", gateway);
    return new ChartTemplates(CHART, values);
  }

  private static List<JsonNode> documents(String yaml) {
    return Manifests.parseDocuments(yaml, "rendered").stream().filter(d -> d != null && !d.isNull() && !d.isMissingNode())
        .map(d -> (JsonNode) d).toList();
  }
}
