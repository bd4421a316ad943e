package dev.capstan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Gang admission against the host: wait whole while capacity is short, reject what can never fit. */
class AdmissionTest extends LocalServerTest {
  @BeforeAll
  static void smallMachine() throws Exception {
    restartWith(Map.of("CAPSTAN_CPUS", "2", "CAPSTAN_MEMORY", "8Gi"));
  }

  @Test
  void aJobThatDoesNotFitWaitsQueuedWithNoReplicaThenRuns() throws Exception {
    Path gate = temp.resolve("gate");
    capstan.run("apply", "-f", capstan.manifest("big.yaml", job("big", "1500m", "while [ ! -f " + gate + " ]; do sleep 0.1; done")).toString())
        .expectSuccess();
    capstan.awaitJob("queue", "big", Duration.ofSeconds(60), LocalCapstan.inState("Running"));
    capstan.run("apply", "-f", capstan.manifest("next.yaml", job("next", "1", "echo ran=1")).toString()).expectSuccess();

    JsonNode queued = capstan.awaitJob("queue", "next", Duration.ofSeconds(30), LocalCapstan.inState("Queued"));
    String message = queued.path("status").path("message").asText();
    assertTrue(message.contains("cpu"), message);
    assertTrue(LocalCapstan.processesOfNamespace("queue").stream().noneMatch(pid -> environ(pid).contains("CAPSTAN_JOB_NAME=next")),
        "no replica of the queued job runs");

    Files.writeString(gate, "go");
    capstan.awaitJob("queue", "big", Duration.ofSeconds(60), LocalCapstan.inState("Succeeded"));
    JsonNode done = capstan.awaitJob("queue", "next", Duration.ofSeconds(60), LocalCapstan.inState("Succeeded"));
    assertEquals("1", done.path("status").path("metrics").path("ran").asText());
  }

  @Test
  void aJobLargerThanTheMachineIsRejectedAtApply() throws Exception {
    LocalCapstan.Result r = capstan.run("apply", "-f", capstan.manifest("huge.yaml", job("huge", "64", "true")).toString());
    assertEquals(1, r.exitCode());
    assertTrue(r.stderr().contains("spec.replicas") && r.stderr().contains("cpu 64"), r.stderr());
    assertEquals(1, capstan.run("get", "trainingjob", "huge", "-n", "queue").exitCode());
  }

  /** One master, one worker, each requesting half of {@code cpu}. */
  private static String job(String name, String cpuPerReplica, String script) {
    return Jobs.shellJob(name, "queue", "Never", script, 1, script, null)
        .replace("            - name: pytorch\n", "            - name: pytorch\n              resources:\n                requests:\n"
            + "                  cpu: \"" + half(cpuPerReplica) + "\"\n");
  }

  private static String half(String cpu) {
    long millis = cpu.endsWith("m") ? Long.parseLong(cpu.substring(0, cpu.length() - 1)) : Long.parseLong(cpu) * 1000;
    return (millis / 2) + "m";
  }

  private static String environ(long pid) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"))).replace('\0', '\n');
    } catch (java.io.IOException e) {
      return "";
    }
  }
}
