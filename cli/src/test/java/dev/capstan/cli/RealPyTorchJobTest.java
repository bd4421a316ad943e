package dev.capstan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped PyTorch DDP example, run for real with torch's gloo backend. */
class RealPyTorchJobTest {
  @TempDir static Path temp;
  static LocalCapstan capstan;
  static Path example = Path.of(System.getProperty("capstan.repo"), "examples", "training", "pytorch-ddp.yaml");

  @BeforeAll
  static void start() throws Exception {
    capstan = new LocalCapstan(temp);
  }

  @AfterAll
  static void stop() {
    capstan.close();
  }

  @Test
  void theDdpExampleSucceedsAndReportsItsLoss() {
    LocalCapstan.Result run = capstan.run("run", "-f", example.toString());
    assertEquals(0, run.exitCode(), run.stderr());
    assertTrue(run.stdout().contains("[master-0] rank 0/2: all_reduce ok (3.0)"), run.stdout());
    assertTrue(run.stdout().contains("[worker-0] rank 1/2: all_reduce ok (3.0)"), run.stdout());
    assertTrue(run.stderr().contains("container images are not used"), run.stderr());
    JsonNode job = capstan.job("default", "pytorch-ddp");
    assertEquals("Succeeded", job.path("status").path("state").asText());
    assertTrue(job.path("status").path("metrics").has("loss"), job.path("status").toString());
    String log = capstan.run("logs", "trainingjob/pytorch-ddp", "--replica", "worker-0").expectSuccess().stdout();
    assertTrue(log.contains("rank 1/2"), log);
  }

  @Test
  void twoJobsAtOnceGetTheirOwnPorts() throws Exception {
    String text = Files.readString(example);
    Path a = capstan.manifest("a.yaml", text.replace("name: pytorch-ddp", "name: ddp-a"));
    Path b = capstan.manifest("b.yaml", text.replace("name: pytorch-ddp", "name: ddp-b"));
    // The example's scripts resolve against the manifest's directory; copy them beside these.
    Files.copy(example.resolveSibling("pytorch_ddp.py"), capstan.work.resolve("pytorch_ddp.py"));
    capstan.run("apply", "-f", a.toString(), "-n", "ports").expectSuccess();
    capstan.run("apply", "-f", b.toString(), "-n", "ports").expectSuccess();
    JsonNode jobA = capstan.awaitJob("ports", "ddp-a", Duration.ofMinutes(3), LocalCapstan.inState("Succeeded"));
    JsonNode jobB = capstan.awaitJob("ports", "ddp-b", Duration.ofMinutes(3), LocalCapstan.inState("Succeeded"));
    assertEquals(0, jobA.path("status").path("restartCount").asInt());
    assertEquals(0, jobB.path("status").path("restartCount").asInt());
    assertNotEquals(masterPort("ports", "ddp-a"), masterPort("ports", "ddp-b"));
  }

  private static int masterPort(String ns, String job) throws Exception {
    Path ports = capstan.home.resolve("runtime").resolve(ns).resolve(job).resolve("ports.json");
    return dev.capstan.api.codec.Manifests.json().readTree(ports.toFile()).path("master-0").asInt();
  }
}
