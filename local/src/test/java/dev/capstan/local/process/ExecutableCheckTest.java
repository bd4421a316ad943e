package dev.capstan.local.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A command that cannot be executed is never launched: it is recorded with the problem and its path. */
class ExecutableCheckTest {
  @TempDir Path dir;
  private final ReplicaProcesses processes = new ReplicaProcesses(ReplicaPidNamespaces.none());

  private ReplicaProcesses.Status start(List<String> argv, Map<String, String> env) {
    Path replica = dir.resolve("worker-0");
    processes.start(replica, 0, List.of(), Incarnation.next(ReplicaCgroups.none()),
        new LaunchCommand(argv, dir, env, dir.resolve("logs/r.log")));
    return processes.inspect(replica).orElseThrow();
  }

  @Test
  void aMissingProgramIsRecordedAsExited127WithItsResolvedPath() throws Exception {
    ReplicaProcesses.Status s = start(List.of("../bin/train.sh", "--epochs", "1"), Map.of());
    Path expected = dir.getParent().resolve("bin/train.sh");
    assertEquals(OptionalInt.of(127), s.exitCode());
    assertEquals("command not found: " + expected, s.record().commandProblem());
    assertTrue(Files.readString(dir.resolve("logs/r.log")).contains("capstan: cannot start the replica: command not found: " + expected));
  }

  @Test
  void aFileThatIsNotExecutableIsRecordedAsExited126() throws Exception {
    Path script = Files.writeString(dir.resolve("train.sh"), "echo hi\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-------"));
    ReplicaProcesses.Status s = start(List.of("./train.sh"), Map.of());
    assertEquals(OptionalInt.of(126), s.exitCode());
    assertEquals("command is not an executable file: " + script, s.record().commandProblem());
  }

  @Test
  void aBareNameIsLookedUpOnTheReplicasPath() throws Exception {
    ReplicaProcesses.Status s = start(List.of("no-such-trainer"), Map.of("PATH", "/usr/bin:/bin"));
    assertEquals("command not found on PATH (/usr/bin:/bin): no-such-trainer", s.record().commandProblem());

    ReplicaProcesses.Status found = start(List.of("sh", "-c", "exit 3"), Map.of("PATH", "/usr/bin:/bin"));
    TestingReplicas.await("sh exits", () -> !processes.inspect(dir.resolve("worker-0")).orElseThrow().alive());
    assertEquals(null, processes.inspect(dir.resolve("worker-0")).orElseThrow().record().commandProblem());
    assertEquals(OptionalInt.of(3), processes.inspect(dir.resolve("worker-0")).orElseThrow().exitCode());
  }
}
