package dev.capstan.local.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real processes: exit codes are recorded, trees are stopped whole, records survive. */
class ReplicaProcessesTest {
  @TempDir Path dir;
  private final ReplicaProcesses processes = new ReplicaProcesses();

  private LaunchCommand sh(String script) {
    return new LaunchCommand(List.of("sh", "-c", script), dir, Map.of("MARK", "x"), dir.resolve("logs/r.log"));
  }

  private ReplicaProcesses.Status awaitExit(Path replica) throws InterruptedException {
    for (int i = 0; i < 300; i++) {
      ReplicaProcesses.Status s = processes.inspect(replica).orElseThrow();
      if (!s.alive()) {
        return s;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the process did not exit");
  }

  @Test
  void theExitCodeIsRecordedAndOutputGoesToTheLog() throws Exception {
    Path replica = dir.resolve("worker-0");
    processes.start(replica, 0, List.of(), sh("echo hello $MARK; exit 7"));
    assertEquals(OptionalInt.of(7), awaitExit(replica).exitCode());
    assertTrue(Files.readString(dir.resolve("logs/r.log")).contains("hello x"));
  }

  @Test
  void aSignalShowsAs128PlusItsNumber() throws Exception {
    Path replica = dir.resolve("worker-0");
    processes.start(replica, 2, List.of(), sh("kill -9 $$"));
    ReplicaProcesses.Status s = awaitExit(replica);
    assertEquals(OptionalInt.of(137), s.exitCode());
    assertEquals(2, s.record().attempt());
  }

  @Test
  void stopEndsTheWholeTreeIncludingChildrenThatLeftTheGroup() throws Exception {
    Path replica = dir.resolve("worker-0");
    Path pids = dir.resolve("pids");
    processes.start(replica, 0, List.of(), sh("sleep 600 & echo $! >> " + pids + "; setsid sleep 600 & echo $! >> " + pids + "; wait"));
    for (int i = 0; i < 100 && (!Files.exists(pids) || Files.readAllLines(pids).size() < 2); i++) {
      Thread.sleep(50);
    }
    List<Long> children = Files.readAllLines(pids).stream().map(Long::parseLong).toList();
    assertTrue(children.stream().allMatch(pid -> ProcessHandle.of(pid).isPresent()));
    processes.stop(replica, Duration.ofSeconds(2));
    for (Long pid : children) {
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "child " + pid + " was stopped");
    }
    assertFalse(processes.inspect(replica).isPresent(), "the record is gone");
  }

  @Test
  void aNewInstanceFindsARunningProcessFromItsRecord() throws Exception {
    Path replica = dir.resolve("worker-0");
    processes.start(replica, 0, List.of(3), sh("sleep 600"));
    ReplicaProcesses.Status adopted = new ReplicaProcesses().inspect(replica).orElseThrow();
    assertTrue(adopted.alive());
    assertEquals(List.of(3), adopted.record().gpus());
    processes.stop(replica, Duration.ofSeconds(1));
  }
}
