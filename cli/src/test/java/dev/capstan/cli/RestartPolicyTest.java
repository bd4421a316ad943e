package dev.capstan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Restart policies, backoff limit and deadline, end to end with real processes. */
class RestartPolicyTest extends LocalServerTest {
  @Test
  void replicaFailingOnlyOnItsFirstAttemptIsRestartedOnceAndTheJobSucceeds() throws Exception {
    String fails = "if [ \"$CAPSTAN_ATTEMPT\" = 0 ]; then exit 3; fi; echo accuracy=0.97; exit 0";
    Path file = capstan.manifest("onfailure.yaml", Jobs.shellJob("flaky", "onfailure", "OnFailure", fails, 1, "sleep 1", null));
    LocalCapstan.Result run = capstan.run("run", "-f", file.toString());
    assertEquals(0, run.exitCode(), run.stderr());
    JsonNode job = capstan.job("onfailure", "flaky");
    assertEquals("Succeeded", job.path("status").path("state").asText());
    assertEquals(1, job.path("status").path("restartCount").asInt());
    assertEquals(1, job.path("status").path("replicaStatuses").path("master").path("restarts").asInt());
    assertEquals("0.97", job.path("status").path("metrics").path("accuracy").asText());
  }

  @Test
  void exitCodePolicyFailsOnExitOneWithoutRestart() throws Exception {
    Path file = capstan.manifest("exit1.yaml", Jobs.shellJob("exit-one", "exitcode1", "ExitCode", "exit 1", 1, "sleep 30", null));
    LocalCapstan.Result run = capstan.run("run", "-q", "-f", file.toString());
    assertEquals(1, run.exitCode());
    JsonNode job = capstan.job("exitcode1", "exit-one");
    assertEquals("Failed", job.path("status").path("state").asText());
    assertEquals(0, job.path("status").path("restartCount").asInt());
    assertEquals("ReplicaFailedPermanently", condition(job, "Failed").path("reason").asText());
    awaitNoProcesses("exitcode1");
  }

  @Test
  void exitCodePolicyRestartsAfterExit137() throws Exception {
    String killedOnce = "if [ \"$CAPSTAN_ATTEMPT\" = 0 ]; then kill -9 $$; fi; exit 0";
    Path file = capstan.manifest("exit137.yaml", Jobs.shellJob("killed-once", "exitcode137", "ExitCode", killedOnce, 0, null, null));
    LocalCapstan.Result run = capstan.run("run", "-q", "-f", file.toString());
    assertEquals(0, run.exitCode(), run.stderr());
    assertEquals(1, capstan.job("exitcode137", "killed-once").path("status").path("restartCount").asInt());
  }

  @Test
  void exceedingTheBackoffLimitFailsTheJobAndLeavesNoProcess() throws Exception {
    Path file = capstan.manifest("backoff.yaml", Jobs.shellJob("crashloop", "backoff", "OnFailure", "sleep 0.2; exit 2", 1,
        "sleep 600", "backoffLimit: 2"));
    LocalCapstan.Result run = capstan.run("run", "-q", "-f", file.toString());
    assertEquals(1, run.exitCode());
    JsonNode job = capstan.job("backoff", "crashloop");
    assertEquals("Failed", job.path("status").path("state").asText());
    assertEquals("BackoffLimitExceeded", condition(job, "Failed").path("reason").asText());
    assertEquals(2, job.path("status").path("restartCount").asInt());
    awaitNoProcesses("backoff");
  }

  @Test
  void passingTheDeadlineFailsTheJobAndLeavesNoProcess() throws Exception {
    // Each replica marks that its tree runs; the deadline may pass before a slow machine's first
    // `get` sees the job Running, so the marks, not that state, prove the trees ran.
    Path marks = Files.createDirectories(temp.resolve("deadline-marks"));
    String mark = "touch " + marks + "/$CAPSTAN_REPLICA_ROLE; ";
    Path file = capstan.manifest("deadline.yaml", Jobs.shellJob("slow", "deadline", "OnFailure",
        mark + "sleep 600 & sleep 600", 1, mark + "sleep 600", "activeDeadlineSeconds: 10"));
    capstan.run("apply", "-f", file.toString()).expectSuccess();
    JsonNode job = capstan.awaitJob("deadline", "slow", Duration.ofSeconds(90), LocalCapstan.inState("Failed"));
    assertEquals("DeadlineExceeded", condition(job, "Failed").path("reason").asText());
    assertTrue(Files.exists(marks.resolve("master")) && Files.exists(marks.resolve("worker")), "replica trees ran");
    awaitNoProcesses("deadline");
  }

  static JsonNode condition(JsonNode job, String type) {
    for (JsonNode c : job.path("status").path("conditions")) {
      if (c.path("type").asText().equals(type)) {
        return c;
      }
    }
    throw new AssertionError("no condition " + type + " in " + job.path("status"));
  }

  /** Stops happen within the pass that decides them; allow the kernel a moment to reap. */
  static void awaitNoProcesses(String namespace) throws InterruptedException {
    for (int i = 0; i < 50 && !LocalCapstan.processesOfNamespace(namespace).isEmpty(); i++) {
      Thread.sleep(100);
    }
    assertEquals(java.util.List.of(), LocalCapstan.processesOfNamespace(namespace), "no replica process is left");
  }
}
