package dev.capstan.local.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real processes: exit codes are recorded, trees are stopped whole, records survive. */
class ReplicaProcessesTest {
  @TempDir Path dir;
  private final ReplicaProcesses processes = new ReplicaProcesses(ReplicaPidNamespaces.none());

  private LaunchCommand sh(String script) {
    return new LaunchCommand(List.of("sh", "-c", script), dir, Map.of("MARK", "x"), dir.resolve("logs/r.log"));
  }

  private ProcessRecord start(Path replica, int attempt, List<Integer> gpus, String script) {
    return processes.start(replica, attempt, gpus, Incarnation.next(ReplicaCgroups.none()), sh(script));
  }

  private ReplicaProcesses.Status awaitExit(Path replica) throws InterruptedException {
    TestingReplicas.await("the process exits", () -> !processes.inspect(replica).orElseThrow().alive());
    return processes.inspect(replica).orElseThrow();
  }

  @Test
  void theExitCodeIsRecordedAndOutputGoesToTheLog() throws Exception {
    Path replica = dir.resolve("worker-0");
    start(replica, 0, List.of(), "echo hello $MARK; exit 7");
    assertEquals(OptionalInt.of(7), awaitExit(replica).exitCode());
    assertTrue(Files.readString(dir.resolve("logs/r.log")).contains("hello x"));
  }

  @Test
  void aSignalShowsAs128PlusItsNumber() throws Exception {
    Path replica = dir.resolve("worker-0");
    start(replica, 2, List.of(), "kill -9 $$");
    ReplicaProcesses.Status s = awaitExit(replica);
    assertEquals(OptionalInt.of(137), s.exitCode());
    assertEquals(2, s.record().attempt());
  }

  @Test
  void stopEndsTheWholeTreeIncludingChildrenThatLeftTheGroup() throws Exception {
    Path replica = dir.resolve("worker-0");
    Path pids = dir.resolve("pids");
    ProcessRecord record = start(replica, 0, List.of(),
        "sleep 600 & echo $! >> " + pids + "; setsid sleep 600 & echo $! >> " + pids + "; wait");
    TestingReplicas.await("both children run", () -> lines(pids).size() == 2);
    List<Long> children = lines(pids).stream().map(Long::parseLong).toList();
    assertTrue(children.stream().allMatch(TestingReplicas::alive));
    ReplicaProcesses.tree(Optional.of(record), List.of()).stop(Instant.now().plusSeconds(2));
    for (Long pid : children) {
      assertFalse(TestingReplicas.alive(pid), "child " + pid + " was stopped");
    }
  }

  @Test
  void aNewInstanceFindsARunningProcessFromItsRecord() throws Exception {
    Path replica = dir.resolve("worker-0");
    ProcessRecord record = start(replica, 0, List.of(3), "sleep 600");
    ReplicaProcesses.Status adopted = new ReplicaProcesses(ReplicaPidNamespaces.none()).inspect(replica).orElseThrow();
    assertTrue(adopted.alive());
    assertEquals(List.of(3), adopted.record().gpus());
    ReplicaProcesses.tree(Optional.of(record), List.of()).kill();
  }

  @Test
  void replicaStateAndLogsAreOwnerOnly() throws Exception {
    Path replica = dir.resolve("runtime/team/job/worker-0");
    processes.start(replica, 0, List.of(), Incarnation.next(ReplicaCgroups.none()),
        new LaunchCommand(List.of("true"), dir, Map.of(), dir.resolve("logs/team/job/worker-0.log")));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(replica)));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("logs/team/job"))));
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("logs/team/job/worker-0.log"))));
    assertEquals(OptionalInt.of(0), awaitExit(replica).exitCode());
    try (var files = Files.list(replica)) {
      for (Path file : files.toList()) {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)), file.toString());
      }
    }
  }

  @Test
  void aNulByteInTheEnvironmentFailsTheReplicaWithItsReasonInTheLog() throws Exception {
    Path replica = dir.resolve("worker-0");
    processes.start(replica, 0, List.of(), Incarnation.next(ReplicaCgroups.none()),
        new LaunchCommand(List.of("true"), dir, Map.of("TOKEN", "secret\0tail"), dir.resolve("logs/r.log")));
    assertEquals(OptionalInt.of(127), awaitExit(replica).exitCode());
    String log = Files.readString(dir.resolve("logs/r.log"));
    assertTrue(log.contains("environment variable TOKEN holds a NUL byte"), log);
    assertFalse(log.contains("secret"), "the value stays out of the log: " + log);
  }

  @Test
  void aNulByteInAnArgumentFailsTheReplicaWithItsReasonInTheLog() throws Exception {
    Path replica = dir.resolve("worker-0");
    processes.start(replica, 0, List.of(), Incarnation.next(ReplicaCgroups.none()),
        new LaunchCommand(List.of("echo", "a\0b"), dir, Map.of(), dir.resolve("logs/r.log")));
    assertEquals(OptionalInt.of(127), awaitExit(replica).exitCode());
    assertTrue(Files.readString(dir.resolve("logs/r.log")).contains("argument 1 of the command holds a NUL byte"));
  }

  private static List<String> lines(Path file) {
    try {
      return Files.exists(file) ? Files.readAllLines(file) : List.of();
    } catch (java.io.IOException e) {
      return List.of();
    }
  }
}
