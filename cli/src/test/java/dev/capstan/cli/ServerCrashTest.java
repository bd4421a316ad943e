package dev.capstan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code kill -9} of the server mid-job: the next server adopts the replicas, never doubles them. */
class ServerCrashTest extends LocalServerTest {
  @Test
  void aKilledServerLosesNothingAndStartsNoDuplicateReplica() throws Exception {
    Path starts = Files.createDirectories(temp.resolve("starts"));
    // Replicas run until the test releases them, so the server is killed while they run however slow the machine.
    Path release = temp.resolve("release");
    String script = "echo $$ >> " + starts + "/$CAPSTAN_REPLICA_ROLE-$CAPSTAN_REPLICA_INDEX; "
        + "while [ ! -e " + release + " ]; do sleep 0.2; done; echo done=1";
    Path file = capstan.manifest("crash.yaml", Jobs.shellJob("survivor", "crash", "OnFailure", script, 2, script, null));
    capstan.run("apply", "-f", file.toString()).expectSuccess();
    capstan.awaitJob("crash", "survivor", Duration.ofSeconds(60), LocalCapstan.inState("Running"));

    long oldServer = capstan.serverPid();
    new ProcessBuilder("kill", "-9", Long.toString(oldServer)).start().waitFor();
    while (ProcessHandle.of(oldServer).map(ProcessHandle::isAlive).orElse(false)) {
      Thread.sleep(50);
    }
    // The acknowledged job survived in the store; the next command brings a new server up.
    capstan.awaitJob("crash", "survivor", Duration.ofSeconds(90), LocalCapstan.inState("Running"));
    Files.writeString(release, "");
    JsonNode job = capstan.awaitJob("crash", "survivor", Duration.ofSeconds(90), LocalCapstan.inState("Succeeded"));

    assertEquals(0, job.path("status").path("restartCount").asInt());
    for (String replica : List.of("master-0", "worker-0", "worker-1")) {
      assertEquals(1, Files.readAllLines(starts.resolve(replica)).size(), replica + " started exactly once");
    }
    assertEquals("1", job.path("status").path("metrics").path("done").asText());
  }
}
