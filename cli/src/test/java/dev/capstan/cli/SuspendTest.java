package dev.capstan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Suspend stops every replica and holds no capacity; resume starts the gang again. */
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

    capstan.run("apply", "-f", capstan.manifest("pausable.yaml", job).toString()).expectSuccess();
    capstan.awaitJob("suspend", "pausable", Duration.ofSeconds(60), LocalCapstan.inState("Running"));
    assertFalse(LocalCapstan.processesOfNamespace("suspend").isEmpty());
    assertEquals("JobResumed", RestartPolicyTest.condition(capstan.job("suspend", "pausable"), "Suspended").path("reason").asText());

    capstan.run("delete", "trainingjob", "pausable", "-n", "suspend").expectSuccess();
    RestartPolicyTest.awaitNoProcesses("suspend");
  }
}
