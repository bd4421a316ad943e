package dev.capstan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Suspend stops every replica and holds no capacity; resume starts the gang again; {@code wait} sees each. */
class SuspendTest extends LocalServerTest {
  @Test
  void suspendStopsEveryReplicaAndResumeStartsThemAgain() throws Exception {
    String job = Jobs.shellJob("pausable", "suspend", "OnFailure", "sleep 600", 1, "sleep 600", "suspend: false");
    Path file = capstan.manifest("pausable.yaml", job);
    capstan.run("apply", "-f", file.toString()).expectSuccess();
    capstan.awaitJob("suspend", "pausable", Duration.ofSeconds(60), LocalCapstan.inState("Running"));
    assertFalse(LocalCapstan.processesOfNamespace("suspend").isEmpty());

    capstan.run("apply", "-f", capstan.manifest("pausable.yaml", job.replace("suspend: false", "suspend: true")).toString()).expectSuccess();
    capstan.awaitJob("suspend", "pausable", Duration.ofSeconds(60), LocalCapstan.inState("Suspended"));
    RestartPolicyTest.awaitNoProcesses("suspend");
    assertTrue(capstan.run("wait", "trainingjob/pausable", "-n", "suspend", "--for", "condition=Suspended",
        "--timeout", "30s").expectSuccess().stdout().contains("trainingjob/pausable condition met"));

    capstan.run("apply", "-f", capstan.manifest("pausable.yaml", job).toString()).expectSuccess();
    capstan.awaitJob("suspend", "pausable", Duration.ofSeconds(60), LocalCapstan.inState("Running"));
    assertFalse(LocalCapstan.processesOfNamespace("suspend").isEmpty());
    assertEquals("JobResumed", RestartPolicyTest.condition(capstan.job("suspend", "pausable"), "Suspended").path("reason").asText());

    capstan.run("wait", "trainingjob/pausable", "-n", "suspend", "--for", "condition=Suspended=false",
        "--timeout", "30s").expectSuccess();
    LocalCapstan.Result timedOut = capstan.run("wait", "trainingjob/pausable", "-n", "suspend", "--for",
        "condition=Succeeded", "--timeout", "1s");
    assertEquals(1, timedOut.exitCode(), timedOut.stderr());
    assertTrue(timedOut.stderr().contains("timed out after 1s waiting for condition=Succeeded"), timedOut.stderr());

    capstan.run("delete", "trainingjob", "pausable", "-n", "suspend").expectSuccess();
    assertTrue(capstan.run("wait", "trainingjob/pausable", "-n", "suspend", "--for", "delete")
        .expectSuccess().stdout().contains("trainingjob/pausable deleted"));
    RestartPolicyTest.awaitNoProcesses("suspend");
  }
}
