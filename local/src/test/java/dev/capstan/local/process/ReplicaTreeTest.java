package dev.capstan.local.process;

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
 * Daemonized children ({@code (setsid sleep 300 &)}, re-parented to PID 1) end with their replica:
 * when it is stopped, and when its main process exits. Both ways of tracking a tree that this
 * host may offer are covered: the environment marker alone, and a cgroup per replica.
 */
class ReplicaTreeTest {
  @TempDir Path home;

  private final String namespace = "tree-" + UUID.randomUUID().toString().substring(0, 8);

  /** The replica writes the PID of a child that left its session and parent, then runs (or exits). */
  private String daemonizing(String thenWhat) {
    return "(setsid sleep 300 & echo $! > \"$PIDS/$CAPSTAN_REPLICA_INDEX-setsid\")"
        + "; (env -i setsid sleep 300 & echo $! > \"$PIDS/$CAPSTAN_REPLICA_INDEX-env-cleared\"); " + thenWhat;
  }

  private TrainingJob job(String script) {
    return TestingReplicas.shellJob(namespace, "daemons", 1, 1, "PIDS=" + home + "; " + script);
  }

  private List<Long> escaped(boolean withEnvCleared) throws Exception {
    TestingReplicas.await("the children were started", () -> Files.exists(home.resolve("0-setsid"))
        && Files.exists(home.resolve("0-env-cleared")));
    long setsid = Long.parseLong(Files.readString(home.resolve("0-setsid")).trim());
    long cleared = Long.parseLong(Files.readString(home.resolve("0-env-cleared")).trim());
    TestingReplicas.await("the children run", () -> TestingReplicas.alive(setsid));
    return withEnvCleared ? List.of(setsid, cleared) : List.of(setsid);
  }

  private void stopsEveryChild(ReplicaCgroups cgroups, boolean withEnvCleared) throws Exception {
    ProcessReplicaBackend backend = new ProcessReplicaBackend(new LocalPaths(home), new GpuInventory(List.of()), cgroups);
    TrainingJob job = job(daemonizing("sleep 300"));
    backend.apply(job, TestingReplicas.startsOfMissing(backend, job));
    List<Long> children = escaped(withEnvCleared);
    backend.apply(job, TestingReplicas.stopsOfAll(job));
    TestingReplicas.await("the replica is stopped", () -> backend.observe(job).replicas().isEmpty());
    for (long pid : children) {
      assertFalse(TestingReplicas.alive(pid), "child " + pid + " outlived its replica's stop");
    }
    killLeftovers(List.of(home.resolve("0-env-cleared")));
  }

  @Test
  void aStopEndsChildrenThatLeftTheSessionFoundByTheirMarker() throws Exception {
    stopsEveryChild(ReplicaCgroups.none(), false);
  }

  @Test
  void aStopEndsEvenChildrenThatClearedTheirEnvironmentWhenTheReplicaHasACgroup() throws Exception {
    ReplicaCgroups cgroups = ReplicaCgroups.detect();
    Assumptions.assumeTrue(cgroups.available(), "this host gives the server no writable cgroup");
    stopsEveryChild(cgroups, true);
  }

  @Test
  void childrenEndWhenTheReplicasMainProcessFails() throws Exception {
    ProcessReplicaBackend backend = new ProcessReplicaBackend(new LocalPaths(home), new GpuInventory(List.of()), ReplicaCgroups.none());
    TrainingJob job = job(daemonizing("exit 3"));
    backend.apply(job, TestingReplicas.startsOfMissing(backend, job));
    List<Long> children = escaped(false);
    TestingReplicas.await("the replica failed", () -> TestingReplicas.allInPhase(backend, job, ReplicaPhase.Failed));
    // The control loop applies the (empty) plan of a failed job on every pass.
    TestingReplicas.await("its children are gone", () -> {
      backend.apply(job, List.of());
      return children.stream().noneMatch(TestingReplicas::alive);
    });
    assertTrue(TestingReplicas.allInPhase(backend, job, ReplicaPhase.Failed), "the replica is still reported as failed");
    killLeftovers(List.of(home.resolve("0-env-cleared")));
    backend.apply(job, TestingReplicas.stopsOfAll(job));
    TestingReplicas.await("the replica is forgotten", () -> backend.observe(job).replicas().isEmpty());
    backend.release(job);
  }

  private static void killLeftovers(List<Path> pidFiles) throws Exception {
    for (Path f : pidFiles) {
      if (Files.exists(f)) {
        ProcessHandle.of(Long.parseLong(Files.readString(f).trim())).ifPresent(ProcessHandle::destroyForcibly);
      }
    }
  }
}
