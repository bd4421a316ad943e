package dev.capstan.kubernetes.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.capstan.api.codec.Manifests;
import dev.capstan.api.serving.InferenceService;
import dev.capstan.core.serving.RevisionRoute;
import dev.capstan.core.serving.ServiceKey;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The route of a recorded revision carries its request timeout; none (or a bad one) leaves the gateway's own bound. */
class ClusterRoutesTest {
  @Test
  void aRevisionsRecordedTimeoutIsCarriedIntoItsRoute() {
    assertEquals(Duration.ofSeconds(45), route(45).timeout());
    assertEquals(Duration.ofSeconds(3600), route(100_000).timeout(), "bounded as the spec's timeout is");
  }

  @Test
  void noRecordedTimeoutLeavesTheGatewaysOwnBound() {
    assertEquals(Duration.ZERO, route(null).timeout());
    assertEquals(Duration.ZERO, route(0).timeout());
  }

  private static RevisionRoute route(Integer timeout) {
    Map<String, Object> predictor = new HashMap<>();
    predictor.put("containerConcurrency", 2);
    if (timeout != null) {
      predictor.put("timeout", timeout);
    }
    InferenceService isvc = Manifests.json().convertValue(Map.of("apiVersion", InferenceService.API_VERSION,
        "kind", InferenceService.KIND, "metadata", Map.of("name", "m", "namespace", "ns"),
        "status", Map.of("revisions", List.of(Map.of("name", "m-predictor-00001", "trafficPercent", 100,
            "predictor", predictor)))), InferenceService.class);
    return ClusterRoutes.of(List.of(isvc), (ns, service) -> List.of()).route(new ServiceKey("ns", "m")).orElseThrow()
        .revisions().getFirst();
  }
}
