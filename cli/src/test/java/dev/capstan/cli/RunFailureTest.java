package dev.capstan.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failure that teaches: a job whose command does not exist fails at once (reason CommandNotFound,
 * the resolved path, no restart spent, whatever its restart policy allows), and {@code capstan run}
 * of a failed job ends with the replica, its exit code and its log's last line, plus the README's
 * hint when the log shows a missing Python module.
 */
class RunFailureTest {
  private static final String NAMESPACE = "runfailure";

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
  void aCommandThatDoesNotExistFailsTheJobAtOnceWithItsPathAndNoRestart() throws Exception {
    String yaml = "apiVersion: capstan.dev/v1alpha1\nkind: TrainingJob\nmetadata:\n  name: missing\nspec:\n"
        + "  framework: pytorch\n  runPolicy: {backoffLimit: 5}\n  replicas:\n    master:\n      count: 1\n"
        + "      restartPolicy: Always\n      template:\n        spec:\n          containers:\n"
        + "            - {name: pytorch, command: [./bin/no-such-trainer, --epochs, \"1\"]}\n";
    Path manifest = capstan.manifest("missing.yaml", yaml);
    Path expected = capstan.work.resolve("bin/no-such-trainer");

    LocalCapstan.Result r = capstan.run("run", "-f", manifest.toString(), "-n", NAMESPACE);
    assertEquals(1, r.exitCode(), r.stderr());
    List<String> lines = r.stderr().strip().lines().toList();
    assertEquals("capstan: replica master-0 exited with code 127; last line of its log: capstan: cannot start the replica: "
        + "command not found: " + expected, lines.get(lines.size() - 1), r.stderr());
    assertTrue(r.stderr().contains("capstan: replica master-0 cannot run its command: command not found: " + expected
        + " (exit code 127; no restart can fix it)"), r.stderr());

    JsonNode status = capstan.job(NAMESPACE, "missing").path("status");
    assertEquals(0, status.path("restartCount").asInt(), status.toString());
    JsonNode failed = JobViews.condition(capstan.job(NAMESPACE, "missing"), "Failed");
    assertEquals("CommandNotFound", failed.path("reason").asText(), status.toString());
  }

  @Test
  void aFailedRunEndsWithTheReplicaItsExitCodeTheLastLogLineAndTheHintForAMissingPythonModule() throws Exception {
    String script = "echo starting; echo \"ModuleNotFoundError: No module named 'torch'\" >&2; exit 3";
    Path manifest = capstan.manifest("nomodule.yaml", Jobs.shellJob("nomodule", NAMESPACE, "Never", script, 0, null, null));

    LocalCapstan.Result r = capstan.run("run", "-f", manifest.toString());
    assertEquals(1, r.exitCode(), r.stderr());
    List<String> lines = r.stderr().strip().lines().toList();
    assertEquals("capstan: replica master-0 exited with code 3; last line of its log: ModuleNotFoundError: No module named 'torch'",
        lines.get(lines.size() - 2), r.stderr());
    assertEquals(FailedReplica.PYTHON_HINT, lines.get(lines.size() - 1), r.stderr());
    assertEquals(0, capstan.job(NAMESPACE, "nomodule").path("status").path("restartCount").asInt());
  }
}
