package dev.capstan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Kubeflow PyTorchJob manifest, unchanged, run locally with real torch (DDP over gloo). */
class KubeflowPyTorchJobTest {
  @TempDir static Path temp;
  static LocalCapstan capstan;
  static Path example = Path.of(System.getProperty("capstan.repo"), "examples", "kubeflow", "pytorchjob-ddp.yaml");

  @BeforeAll
  static void start() throws Exception {
    capstan = new LocalCapstan(temp);
  }

  @AfterAll
  static void stop() {
    capstan.close();
  }

  @Test
  void theManifestRunsAsItIsAndIsListedAsAPyTorchJob() {
    LocalCapstan.Result run = capstan.run("run", "-f", example.toString(), "-n", "kubeflow-e2e");
    assertEquals(0, run.exitCode(), run.stderr());
    assertTrue(run.stderr().contains("PyTorchJob kubeflow-e2e/pytorchjob-ddp: running as TrainingJob "
        + "kubeflow-e2e/pytorchjob-ddp (kubeflow.org/v1 accepted as is)"), run.stderr());
    assertTrue(run.stdout().contains("rank 0/2: all_reduce 3.0"), run.stdout());
    assertTrue(run.stdout().contains("rank 1/2: all_reduce 3.0"), run.stdout());

    String pytorchjobs = capstan.run("get", "pytorchjobs", "-n", "kubeflow-e2e").expectSuccess().stdout();
    assertTrue(pytorchjobs.lines().anyMatch(l -> l.startsWith("pytorchjob-ddp") && l.contains("Succeeded")), pytorchjobs);
    String one = capstan.run("get", "pytorchjob", "pytorchjob-ddp", "-n", "kubeflow-e2e", "-o", "json").expectSuccess().stdout();
    assertTrue(one.contains("\"capstan.dev/source-kind\" : \"PyTorchJob\""), one);
    assertTrue(capstan.run("get", "trainingjobs", "-n", "kubeflow-e2e").expectSuccess().stdout().contains("pytorchjob-ddp"));
    LocalCapstan.Result tfjobs = capstan.run("get", "tfjobs", "-n", "kubeflow-e2e").expectSuccess();
    assertFalse(tfjobs.stdout().contains("pytorchjob-ddp"), tfjobs.stdout());
    assertTrue(tfjobs.stderr().contains("No resources found"), tfjobs.stderr());
  }

  @Test
  void aBadFieldIsReportedWhereTheKubeflowManifestHasIt() throws Exception {
    String original = Files.readString(example).replace("name: pytorchjob-ddp", "name: bad-ddp");
    int worker = original.lastIndexOf("replicas: 1");
    String text = original.substring(0, worker) + "replicas: 100000" + original.substring(worker + "replicas: 1".length());
    Path bad = capstan.manifest("bad.yaml", text);
    LocalCapstan.Result apply = capstan.run("apply", "-f", bad.toString(), "-n", "kubeflow-e2e");
    assertEquals(1, apply.exitCode(), apply.stderr());
    assertTrue(apply.stderr().contains("spec.pytorchReplicaSpecs.Worker.replicas: must be at most 512 (is 100000)"), apply.stderr());
  }
}
