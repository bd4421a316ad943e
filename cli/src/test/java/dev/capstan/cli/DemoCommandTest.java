package dev.capstan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.api.codec.Manifests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code capstan demo --fast}, twice in a row in one home: the first run starts its own server and
 * leaves nothing running (no replica, no server, no job, service or model); the second, with
 * {@code --keep}, prints a summary whose figures are the control plane's own (restarts, final step,
 * held-out accuracy, model versions and the alias, the service's maximum replicas, the revision
 * rolled out) and the gateway's (answers counted at {@code /metrics}, none failed), whose served
 * accuracy matches the trainer's, and whose canary took its share of the measured requests.
 */
class DemoCommandTest {
  private static final String NAMESPACE = "demotest";
  /** One demo on a loaded machine of 2 cores takes about 4 minutes. */
  private static final Duration DEMO_LIMIT = Duration.ofMinutes(10);

  @TempDir static Path temp;
  static LocalCapstan capstan;

  @BeforeAll
  static void start() throws Exception {
    capstan = new LocalCapstan(temp);
  }

  @AfterAll
  static void stop() {
    capstan.close();
    assertEquals(List.of(), LocalCapstan.processesOfNamespace(NAMESPACE), "replica processes were left running");
  }

  @Test
  void theDemoRunsTwiceInARowCleansUpAndReportsTheControlPlanesOwnFigures() throws Exception {
    LocalCapstan.Result first = capstan.runWithin(DEMO_LIMIT, "demo", "--fast", "-n", NAMESPACE);
    assertEquals(0, first.exitCode(), first.stdout() + first.stderr());
    assertTrue(first.stdout().contains("  6  canary, promote"), first.stdout());
    assertEquals(List.of(), LocalCapstan.processesOfNamespace(NAMESPACE), "replica processes were left running");
    assertEquals(List.of(), processesOfHome(), "the server the demo started, or a replica, still runs");
    assertFalse(Files.exists(capstan.home.resolve("demo").resolve(NAMESPACE)), "the demo's work directory is left");

    LocalCapstan.Result second = capstan.runWithin(DEMO_LIMIT, "demo", "--fast", "--keep", "-n", NAMESPACE);
    assertEquals(0, second.exitCode(), second.stdout() + second.stderr());
    String summary = second.stdout().substring(second.stdout().indexOf("\nsummary"));
    JsonNode status = capstan.job(NAMESPACE, "digits").path("status");
    assertEquals("Succeeded", status.path("state").asText(), status.toString());
    assertEquals(status.path("restartCount").asText(), find(summary, "restarts (\\d+) \\(whole gang\\)"), summary);
    assertTrue(status.path("restartCount").asInt() >= 1, status.toString());
    assertEquals(status.path("metrics").path("step").asText(), find(summary, "step (\\d+)/\\d+, held-out"), summary);
    assertEquals(status.path("metrics").path("eval_accuracy").asText(), find(summary, "held-out accuracy (\\d\\.\\d+)"), summary);
    String trained = status.path("metrics").path("eval_accuracy").asText();
    assertTrue(Double.parseDouble(find(summary, "cold start (\\d+\\.\\d)s")) > 0, summary);
    double served = Double.parseDouble(find(summary, "held-out digits served, accuracy (\\d\\.\\d+)"));
    assertEquals(Double.parseDouble(trained), served, 0.006, "served predictions vs the trainer's held-out accuracy\n" + summary);
    assertEquals("0", find(summary, "total [\\d.]+s; requests \\d+, failed (\\d+)"), summary);
    JsonNode model = json("get", "models", "digits", "-n", NAMESPACE, "-o", "json");
    assertEquals("1", find(summary, "model digits version (\\d+)"), summary);

    JsonNode service = json("get", "isvc", "digits", "-n", NAMESPACE, "-o", "json");
    int peak = Integer.parseInt(find(summary, "peak (\\d+) replicas \\(max \\d+\\)"));
    assertTrue(peak >= 2, "the burst scaled up\n" + summary);
    assertEquals(service.path("spec").path("predictor").path("maxReplicas").asText(), find(summary, "replicas \\(max (\\d+)\\)"), summary);
    assertTrue(peak <= service.path("spec").path("predictor").path("maxReplicas").asInt(), summary);
    String burst = find(summary, "load burst +[\\d.]+s +(\\d+) requests");
    assertEquals(burst, find(second.stdout(), "the gateway's /metrics count (\\d+) answers"), "the clients' count vs the gateway's\n" + second.stdout());
    assertEquals("0", find(second.stdout(), "answers for it in that time, (\\d+) of them not 200"), second.stdout());
    assertTrue(Double.parseDouble(find(summary, "p50 (\\d+) ms, p99")) <= Double.parseDouble(find(summary, "p99 (\\d+) ms, 0 failed; peak")), summary);

    String version = find(summary, "version (\\d+) as a \\d+ % canary");
    assertEquals(model.path("status").path("latestVersion").asText(), version, summary);
    assertEquals(version, model.path("spec").path("aliases").path("production").asText(), model.toString());
    assertEquals("20", find(summary, "as a (\\d+) % canary"), summary);
    String canary = find(summary, "% canary: (\\S+) answered");
    JsonNode serviceStatus = service.path("status");
    assertEquals(canary, serviceStatus.path("components").path("predictor").path("latestRolledoutRevision").asText(), serviceStatus.toString());
    JsonNode canaryRevision = null;
    for (JsonNode r : serviceStatus.path("revisions")) {
      canaryRevision = r.path("name").asText().equals(canary) ? r : canaryRevision;
    }
    assertTrue(canaryRevision != null && canaryRevision.path("modelVersion").asText().equals(version), serviceStatus.toString());
    assertEquals(100, canaryRevision.path("trafficPercent").asInt(), serviceStatus.toString());
    double share = Double.parseDouble(find(summary, "answered (\\d+\\.\\d) % of"));
    assertEquals(20, share, 5, "the canary's share of the requests the gateway answered\n" + summary);
    assertTrue(Long.parseLong(find(summary, "% of (\\d+); promoted")) >= 200, summary);
    assertEquals("0", find(summary, "promoted; \\d+ requests, (\\d+) failed"), summary);
  }

  private static JsonNode json(String... args) throws IOException {
    return Manifests.json().readTree(capstan.run(args).expectSuccess().stdout());
  }

  /** Live processes started for this test's home: its server and the replicas it started carry CAPSTAN_HOME. */
  private static List<Long> processesOfHome() {
    return LocalCapstan.processesWithEnvironment("CAPSTAN_HOME=" + capstan.home);
  }

  private static String find(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertTrue(m.find(), "no '" + regex + "' in:\n" + text);
    return m.group(1);
  }
}
