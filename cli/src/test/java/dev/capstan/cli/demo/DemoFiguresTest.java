package dev.capstan.cli.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The demo's figures from the gateway's metrics text, and the replica chart in plain lines. */
class DemoFiguresTest {
  private static final String METRICS = """
      # HELP capstan_gateway_requests_total Requests answered for a revision
      # TYPE capstan_gateway_requests_total counter
      capstan_gateway_requests_total{namespace="demo",service="digits",revision="digits-predictor-00001",code="200"} 340
      capstan_gateway_requests_total{namespace="demo",service="digits",revision="digits-predictor-00002",code="200"} 85
      capstan_gateway_requests_total{namespace="demo",service="digits",revision="digits-predictor-00002",code="503"} 1
      capstan_gateway_requests_total{namespace="other",service="digits",revision="digits-predictor-00001",code="200"} 9
      capstan_gateway_requests_total{namespace="demo",service="iris",revision="iris-predictor-00001",code="200"} 7
      capstan_gateway_unrouted_requests_total{code="404"} 3
      """;

  @Test
  void gatewayCountsAreTheServicesOwnPerRevisionAndCode() {
    GatewayCounts now = GatewayCounts.parse(METRICS, "demo", "digits");
    assertEquals(426, now.total());
    assertEquals(86, now.of("digits-predictor-00002"));
    assertEquals(1, now.notOk());
    GatewayCounts earlier = GatewayCounts.parse(
        "capstan_gateway_requests_total{namespace=\"demo\",service=\"digits\",revision=\"digits-predictor-00001\",code=\"200\"} 300\n",
        "demo", "digits");
    GatewayCounts since = now.since(earlier);
    assertEquals(40, since.of("digits-predictor-00001"));
    assertEquals(86, since.of("digits-predictor-00002"), "a revision new since then counts from zero");
    assertEquals(0, GatewayCounts.parse(METRICS, "demo", "absent").total());
  }

  @Test
  void theChartPrintsAPlainLineWhenReplicasChangeAndBarsOfReadyReplicas() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ReplicaChart chart = new ReplicaChart(new DemoOutput(new PrintStream(bytes, true, StandardCharsets.UTF_8), false), 3);
    chart.add(new ReplicaChart.Sample(0.5, 1, 1, 10, true));
    chart.add(new ReplicaChart.Sample(1.0, 1, 1, 12, true));
    chart.add(new ReplicaChart.Sample(1.5, 1, 3, 30, true));
    chart.add(new ReplicaChart.Sample(2.0, 3, 3, 90, true));
    chart.add(new ReplicaChart.Sample(2.5, 1, 1, 0, false));
    List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals(4, lines.size(), "one line per change:\n" + lines);
    assertTrue(lines.get(2).contains("replicas 3 ready, 3 wanted") && lines.get(2).contains("90 req/s"), lines.get(2));
    assertTrue(lines.get(3).contains("(load stopped)"), lines.get(3));
    assertEquals(3, chart.peakReady());
    assertEquals(List.of(
        "  replicas  3 |   #",
        "            2 |   #",
        "            1 |#####",
        "             +----- 3s",
        "    load    |===="), chart.bars());
    assertTrue(chart.bars().stream().allMatch(l -> l.length() < 80));
  }

  @Test
  void theLoadGeneratorIsBounded() {
    assertThrows(IllegalArgumentException.class, () -> LoadGenerator.start(null, null, null, LoadGenerator.MAX_CLIENTS + 1));
    assertThrows(IllegalArgumentException.class, () -> LoadGenerator.start(null, null, null, 0));
  }
}
