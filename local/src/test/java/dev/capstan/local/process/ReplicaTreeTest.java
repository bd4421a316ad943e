package dev.capstan.local.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.api.training.TrainingJob;
import dev.capstan.core.training.ReplicaPhase;
import dev.capstan.local.LocalPaths;
import dev.capstan.local.host.GpuInventory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Daemonized children ({@code (setsid sleep 300 &)}, re-parented away from the replica) end with
 * their replica: when it is stopped, and when its main process exits. Every way of containing a
 * tree that this host may offer is covered: the environment marker alone (which cannot find a
 * child that cleared its environment), a PID namespace per replica, and a cgroup per replica.
 * Each child writes its PID as the server sees it, read from {@code /proc/self/stat} ({@code $!}
 * inside a PID namespace would be the namespace's number).
 */
class ReplicaTreeTest {
  /** Writes the host PID of the shell to the file named by $0, then becomes {@code sleep 300}. */
  private static final String REPORT_AND_SLEEP =
      "read -r p _ < /proc/self/stat; echo $p > \"$0.tmp\" && mv \"$0.tmp\" \"$0\"; exec sleep 300";
  /** A python3 child that calls setsid and replaces itself by sleep with an empty environment. */
  private static final String PYTHON_DAEMON = "import os, sys; f = sys.argv[1]; os.fork() or (os.setsid(),"
      + " open(f + '.tmp', 'w').write(open('/proc/self/stat').read().split()[0]), os.rename(f + '.tmp', f),"
      + " os.execve('/bin/sleep', ['sleep', '300'], {}))";
  private static final List<String> EVERY_CHILD = List.of("setsid", "env-cleared", "python");

  @TempDir Path home;

  private final String namespace = "tree-" + UUID.randomUUID().toString().substring(0, 8);

  /**
   * The replica starts three children that leave its session and parent (one plainly, one with
   * its environment cleared, one through python3's setsid and execve with an empty environment),
   * each writing its PID to $PIDS/0-{name}; then it runs {@code thenWhat}.
   */
  private String daemonizing(String thenWhat) {
    return "D='" + REPORT_AND_SLEEP + "'"
        + "; (setsid sh -c \"$D\" \"$PIDS/$CAPSTAN_REPLICA_INDEX-setsid\" &)"
        + "; (env -i setsid sh -c \"$D\" \"$PIDS/$CAPSTAN_REPLICA_INDEX-env-cleared\" &)"
        + "; /usr/bin/python3 -c \"" + PYTHON_DAEMON + "\" \"$PIDS/$CAPSTAN_REPLICA_INDEX-python\""
        + "; " + thenWhat;
  }

  private TrainingJob job(String script) {
    return TestingReplicas.shellJob(namespace, "daemons", 1, 1, "PIDS=" + home + "; " + script);
  }

  /** The PIDs of these children once every one of them runs. */
  private List<Long> escaped(List<String> names) throws Exception {
    TestingReplicas.await("the children were started", () -> EVERY_CHILD.stream().allMatch(n -> Files.exists(pidFile(n))));
    List<Long> pids = names.stream().map(this::pidOf).toList();
    TestingReplicas.await("the children run", () -> pids.stream().allMatch(TestingReplicas::alive));
    return pids;
  }

  private ProcessReplicaBackend backend(ReplicaCgroups cgroups, ReplicaPidNamespaces namespaces) {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")), "no /usr/bin/python3 on this host");
    return new ProcessReplicaBackend(new LocalPaths(home), new GpuInventory(List.of()), cgroups, namespaces);
  }

  private void stopEnds(ProcessReplicaBackend backend, List<String> children) throws Exception {
    TrainingJob job = job(daemonizing("sleep 300"));
    backend.apply(job, TestingReplicas.startsOfMissing(backend, job));
    List<Long> pids = escaped(children);
    backend.apply(job, TestingReplicas.stopsOfAll(job));
    TestingReplicas.await("the replica is stopped", () -> backend.observe(job).replicas().isEmpty());
    for (long pid : pids) {
      assertFalse(TestingReplicas.alive(pid), "child " + pid + " outlived its replica's stop");
    }
    killLeftovers();
  }

  private void failureEnds(ProcessReplicaBackend backend, List<String> children) throws Exception {
    // The replica fails only once the test has seen its children run: in a PID namespace they
    // would otherwise be gone with it before they could be seen.
    TrainingJob job = job(daemonizing("while [ ! -e \"$PIDS/fail\" ]; do sleep 0.1; done; exit 3"));
    backend.apply(job, TestingReplicas.startsOfMissing(backend, job));
    List<Long> pids = escaped(children);
    Files.writeString(home.resolve("fail"), "");
    TestingReplicas.await("the replica failed", () -> TestingReplicas.allInPhase(backend, job, ReplicaPhase.Failed));
    // The control loop applies the (empty) plan of a failed job on every pass.
    TestingReplicas.await("its children are gone", () -> {
      backend.apply(job, List.of());
      return pids.stream().noneMatch(TestingReplicas::alive);
    });
    assertTrue(TestingReplicas.allInPhase(backend, job, ReplicaPhase.Failed), "the replica is still reported as failed");
    assertEquals(java.util.OptionalInt.of(3), backend.observe(job).replicas().values().iterator().next().exitCode(), "the command's own exit code is recorded");
    killLeftovers();
    backend.apply(job, TestingReplicas.stopsOfAll(job));
    TestingReplicas.await("the replica is forgotten", () -> backend.observe(job).replicas().isEmpty());
    backend.release(job);
  }

  private static ReplicaPidNamespaces namespaces() {
    ReplicaPidNamespaces namespaces = ReplicaPidNamespaces.detect();
    Assumptions.assumeTrue(namespaces.available(), "this host lets the server make no PID namespace");
    return namespaces;
  }

  @Test
  void aStopEndsChildrenThatLeftTheSessionFoundByTheirMarker() throws Exception {
    stopEnds(backend(ReplicaCgroups.none(), ReplicaPidNamespaces.none()), List.of("setsid"));
  }

  @Test
  void childrenThatLeftTheSessionEndWhenTheReplicasMainProcessFailsFoundByTheirMarker() throws Exception {
    failureEnds(backend(ReplicaCgroups.none(), ReplicaPidNamespaces.none()), List.of("setsid"));
  }

  @Test
  void aStopEndsEvenChildrenThatClearedTheirEnvironmentWhenTheReplicaHasAPidNamespace() throws Exception {
    stopEnds(backend(ReplicaCgroups.none(), namespaces()), EVERY_CHILD);
  }

  @Test
  void childrenThatClearedTheirEnvironmentEndWhenTheReplicasMainProcessFailsInAPidNamespace() throws Exception {
    failureEnds(backend(ReplicaCgroups.none(), namespaces()), EVERY_CHILD);
  }

  @Test
  void aStopEndsEvenChildrenThatClearedTheirEnvironmentWhenTheReplicaHasACgroup() throws Exception {
    ReplicaCgroups cgroups = ReplicaCgroups.detect();
    Assumptions.assumeTrue(cgroups.available(), "this host gives the server no writable cgroup");
    stopEnds(backend(cgroups, ReplicaPidNamespaces.none()), EVERY_CHILD);
  }

  private Path pidFile(String child) {
    return home.resolve("0-" + child);
  }

  private long pidOf(String child) {
    try {
      return Long.parseLong(Files.readString(pidFile(child)).trim());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Children the containment under test does not reach (the marker alone finds no env-cleared one). */
  private void killLeftovers() {
    EVERY_CHILD.stream().filter(c -> Files.exists(pidFile(c)))
        .forEach(c -> ProcessHandle.of(pidOf(c)).ifPresent(ProcessHandle::destroyForcibly));
  }
}
