package dev.capstan.local.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replica whose wrapper is the init of its own PID namespace still behaves as one without: its
 * exit code is recorded, a stop's SIGTERM reaches its command (which the init would drop), a
 * command that ignores SIGTERM is killed at the deadline, and a new server adopts it by its
 * record. The namespace a non-root server makes (inside a user namespace) holds, and ends, an
 * env-cleared setsid child too; when this test runs as root that is checked as user nobody.
 */
class ReplicaPidNamespacesTest {
  private static final String NOBODY = "65534";

  @TempDir Path dir;
  private ReplicaPidNamespaces namespaces;
  private ReplicaProcesses processes;

  @BeforeEach
  void namespaces() {
    namespaces = ReplicaPidNamespaces.detect();
    Assumptions.assumeTrue(namespaces.available(), "this host lets the server make no PID namespace");
    processes = new ReplicaProcesses(namespaces);
  }

  private ProcessRecord start(Path replica, Incarnation incarnation, String script) {
    return processes.start(replica, 0, List.of(), incarnation,
        new LaunchCommand(List.of("sh", "-c", script), dir, Map.of(), dir.resolve("logs/r.log")));
  }

  private ReplicaProcesses.Status awaitExit(Path replica) throws InterruptedException {
    TestingReplicas.await("the replica exits", () -> !processes.inspect(replica).orElseThrow().alive());
    return processes.inspect(replica).orElseThrow();
  }

  @Test
  void theCommandsExitCodeIsRecordedAndTheRecordedProcessIsTheNamespacesMaker() throws Exception {
    Path replica = dir.resolve("worker-0");
    ProcessRecord record = start(replica, Incarnation.next(ReplicaCgroups.none()), "echo in-namespace; exit 7");
    assertEquals(OptionalInt.of(7), awaitExit(replica).exitCode());
    assertTrue(Files.readString(dir.resolve("logs/r.log")).contains("in-namespace"));
    assertTrue(record.pid() > 0);
  }

  @Test
  void aStopsSigtermReachesTheCommandWhichEndsOnItsOwnWith143() throws Exception {
    Path replica = dir.resolve("worker-0");
    Path gotTerm = dir.resolve("got-term");
    Incarnation incarnation = Incarnation.next(ReplicaCgroups.none());
    ProcessRecord record = start(replica, incarnation,
        "trap 'echo term > " + gotTerm + "; exit 143' TERM; echo $$ > " + dir.resolve("ready") + "; sleep 600 & wait");
    TestingReplicas.await("the command runs", () -> Files.exists(dir.resolve("ready")));
    // A deadline far off: only the command's own exit, not a SIGKILL, ends the replica in time.
    ReplicaProcesses.tree(Optional.of(record), List.of(incarnation)).stop(Instant.now().plusSeconds(120));
    assertTrue(Files.exists(gotTerm), "the command got SIGTERM");
    assertEquals(OptionalInt.of(143), awaitExit(replica).exitCode());
  }

  @Test
  void aCommandThatIgnoresSigtermIsKilledAtTheDeadline() throws Exception {
    Path replica = dir.resolve("worker-0");
    Incarnation incarnation = Incarnation.next(ReplicaCgroups.none());
    ProcessRecord record = start(replica, incarnation, "trap '' TERM; echo ready > " + dir.resolve("ready") + "; sleep 600");
    TestingReplicas.await("the command runs", () -> Files.exists(dir.resolve("ready")));
    List<Long> tree = ReplicaProcesses.leader(record).orElseThrow().descendants().map(ProcessHandle::pid).toList();
    ReplicaProcesses.tree(Optional.of(record), List.of(incarnation)).stop(Instant.now().plusSeconds(1));
    assertFalse(processes.inspect(replica).orElseThrow().alive());
    assertTrue(tree.stream().noneMatch(TestingReplicas::alive), "every process of the replica ended");
  }

  @Test
  void aNewServerAdoptsARunningReplicaByItsRecord() throws Exception {
    Path replica = dir.resolve("worker-0");
    Incarnation incarnation = Incarnation.next(ReplicaCgroups.none());
    ProcessRecord record = start(replica, incarnation, "sleep 600");
    ReplicaProcesses.Status adopted = new ReplicaProcesses(ReplicaPidNamespaces.none()).inspect(replica).orElseThrow();
    assertTrue(adopted.alive());
    assertEquals(record.pid(), adopted.record().pid());
    ReplicaProcesses.tree(Optional.of(record), List.of(incarnation)).kill();
    assertFalse(processes.inspect(replica).orElseThrow().alive());
  }

  /**
   * As root, checks the namespace a server running as nobody would get: the plain kind is refused
   * to nobody, the one inside a user namespace is made, and its end takes an env-cleared setsid
   * child and a python3 setsid-and-execve child with it, while the command's exit status comes back.
   */
  @Test
  void asNobodyTheNamespaceInsideAUserNamespaceHoldsAndEndsEveryChild() throws Exception {
    Assumptions.assumeTrue(((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0, "runs as root only");
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "no /usr/bin/python3 on this host");
    List<String> asNobody = List.of("setpriv", "--reuid=" + NOBODY, "--regid=" + NOBODY, "--clear-groups");
    ReplicaPidNamespaces forNobody = ReplicaPidNamespaces.probe(asNobody);
    Assumptions.assumeTrue(forNobody.available(), "this host has no unprivileged user namespaces");
    assertEquals(ReplicaPidNamespaces.IN_USER_NAMESPACE, forNobody.prefix());

    Path shared = Files.createTempDirectory(Path.of("/tmp"), "capstan-nobody-");
    try {
      Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
      String report = "read -r p _ < /proc/self/stat; echo $p > \"$0.tmp\" && mv \"$0.tmp\" \"$0\"; exec sleep 300";
      String python = "import os, sys; f = sys.argv[1]; os.fork() or (os.setsid(),"
          + " open(f + '.tmp', 'w').write(open('/proc/self/stat').read().split()[0]), os.rename(f + '.tmp', f),"
          + " os.execve('/bin/sleep', ['sleep', '300'], {}))";
      String script = "(env -i setsid sh -c '" + report + "' " + shared.resolve("env-cleared") + " &)"
          + "; /usr/bin/python3 -c \"" + python + "\" " + shared.resolve("python")
          + "; while [ ! -e " + shared.resolve("env-cleared") + " ] || [ ! -e " + shared.resolve("python") + " ]; do sleep 0.05; done"
          + "; exit 3";
      List<String> argv = new ArrayList<>(asNobody);
      argv.add("setsid");
      argv.addAll(forNobody.prefix());
      argv.addAll(List.of("/bin/sh", "-c", script));
      Process replica = new ProcessBuilder(argv).directory(shared.toFile()).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(shared.resolve("log").toFile())).start();
      assertTrue(replica.waitFor(60, TimeUnit.SECONDS), "the replica ended");
      assertEquals(3, replica.exitValue(), "the command's exit status comes back: " + Files.readString(shared.resolve("log")));
      for (String child : List.of("env-cleared", "python")) {
        long pid = Long.parseLong(Files.readString(shared.resolve(child)).trim());
        TestingReplicas.await("child " + child + " ended with the namespace", () -> !TestingReplicas.alive(pid));
      }
    } finally {
      for (String child : List.of("env-cleared", "python")) {
        try {
          ProcessHandle.of(Long.parseLong(Files.readString(shared.resolve(child)).trim())).ifPresent(ProcessHandle::destroyForcibly);
        } catch (IOException | NumberFormatException e) {
          // never started
        }
      }
      try (Stream<Path> walk = Files.walk(shared)) {
        walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        // a leftover in /tmp is harmless
      }
    }
  }
}
