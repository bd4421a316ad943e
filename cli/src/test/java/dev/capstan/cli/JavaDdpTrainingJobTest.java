package dev.capstan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The java-ddp example as a local TrainingJob of three {@code capstan train} replicas: SIGKILL of
 * one worker mid-training makes the gang restart and resume from rank 0's newest checkpoint,
 * recomputing at most one checkpoint interval, and the job ends at exactly the planned step with
 * held-out accuracy of at least 0.9. The replicas run this build's CLI through the test JVM's own
 * classpath (the launcher script would rebuild when sources are newer).
 */
class JavaDdpTrainingJobTest {
  private static final String NAMESPACE = "javaddp";
  private static final int TOTAL_STEPS = 338;
  private static final int CHECKPOINT_EVERY = 20;

  @TempDir static Path temp;
  static LocalCapstan capstan;

  @BeforeAll
  static void start() throws Exception {
    capstan = new LocalCapstan(temp);
  }

  @AfterAll
  static void stop() {
    capstan.close();
  }

  @Test
  void aKilledWorkerRestartsTheGangWhichResumesFromTheCheckpointAndFinishesExactly() throws Exception {
    Path manifest = capstan.manifest("java-ddp.yaml", JavaDdpExample.forThisBuild(temp, CHECKPOINT_EVERY,
        ", \"--step-delay-ms\", \"40\", \"--timeout\", \"10\""));
    capstan.run("apply", "-f", manifest.toString(), "-n", NAMESPACE).expectSuccess();
    capstan.awaitJob(NAMESPACE, "java-ddp", Duration.ofMinutes(3),
        job -> job.path("status").path("metrics").path("step").asDouble() >= 3 * CHECKPOINT_EVERY);
    long worker = trainerPid("worker", 0).orElseThrow(() -> new AssertionError("worker-0 trainer not found"));
    ProcessHandle.of(worker).ifPresent(ProcessHandle::destroyForcibly);

    JsonNode job = capstan.awaitJob(NAMESPACE, "java-ddp", Duration.ofMinutes(4),
        j -> List.of("Succeeded", "Failed").contains(j.path("status").path("state").asText()));
    JsonNode status = job.path("status");
    assertEquals("Succeeded", status.path("state").asText(), status.toString());
    assertTrue(status.path("restartCount").asInt() >= 1, status.toString());
    assertEquals(TOTAL_STEPS, status.path("metrics").path("step").asInt(), status.toString());
    assertTrue(status.path("metrics").path("eval_accuracy").asDouble() >= 0.9, status.toString());

    String log = capstan.run("logs", "trainingjob/java-ddp", "-n", NAMESPACE, "--replica", "master-0")
        .expectSuccess().stdout();
    int split = log.indexOf("resuming from");
    assertTrue(split > 0, log);
    int lastBefore = JavaDdpExample.lastStep(log.substring(0, split));
    Matcher resumed = JavaDdpExample.RESUMED.matcher(log);
    assertTrue(resumed.find(), log);
    int resumedAt = Integer.parseInt(resumed.group(1));
    assertTrue(resumedAt > 0 && lastBefore - resumedAt <= CHECKPOINT_EVERY,
        "last step before the kill " + lastBefore + ", resumed at " + resumedAt);
    assertEquals(OptionalInt.of(resumedAt + 1), JavaDdpExample.firstStep(log.substring(resumed.end())),
        "the step counter continues");
    assertTrue(log.contains("step=" + TOTAL_STEPS + " eval_loss="), log);
    if (Files.isDirectory(Path.of("/dev/shm"))) {
      // local replicas share the machine: every attempt summed gradients in shared memory
      assertEquals(status.path("restartCount").asInt() + 1, log.split("links: to rank 1 over shared memory, from rank 2 over shared memory", -1).length - 1, log);
    }
    assertTrue(Files.exists(temp.resolve("model").resolve("model.yaml")));
  }

  /** The PID of the trainer JVM of one replica (not its wrapper), found through its environment. */
  private static OptionalLong trainerPid(String role, int index) {
    return LocalCapstan.processesWithEnvironment("CAPSTAN_JOB_NAMESPACE=" + NAMESPACE, "CAPSTAN_REPLICA_ROLE=" + role,
            "CAPSTAN_REPLICA_INDEX=" + index).stream()
        .filter(pid -> commandLine(pid).contains("dev.capstan.cli.Main"))
        .mapToLong(Long::longValue).findFirst();
  }

  private static String commandLine(long pid) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      return ""; // the process ended while we looked
    }
  }
}
