package dev.capstan.local.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.api.training.TrainingJob;
import dev.capstan.core.training.ReplicaPhase;
import dev.capstan.local.LocalPaths;
import dev.capstan.local.host.GpuInventory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stop waits out its grace period in the replica's own lane: the control loop, and every other
 * job's start, go on while replicas that ignore SIGTERM are still being stopped.
 */
class AsyncStopTest {
  @TempDir Path home;

  @Test
  void anotherJobStartsWhileReplicasThatIgnoreSigtermAreBeingStopped() throws Exception {
    String namespace = "async-" + UUID.randomUUID().toString().substring(0, 8);
    ProcessReplicaBackend backend = new ProcessReplicaBackend(new LocalPaths(home), new GpuInventory(List.of()));
    TrainingJob stubborn = TestingReplicas.shellJob(namespace, "stubborn", 2, 30, "trap '' TERM; sleep 600");
    TrainingJob quick = TestingReplicas.shellJob(namespace, "quick", 1, 30, "sleep 600");
    backend.apply(stubborn, TestingReplicas.startsOfMissing(backend, stubborn));
    TestingReplicas.await("the stubborn replicas run", () -> TestingReplicas.allInPhase(backend, stubborn, ReplicaPhase.Running));
    Map<String, String> stubbornEnv = Map.of("CAPSTAN_JOB_NAME", "stubborn", "CAPSTAN_JOB_NAMESPACE", namespace);
    TestingReplicas.await("both stubborn commands run",
        () -> TestingReplicas.running(TestingReplicas.processesWith(stubbornEnv), "sleep").size() == 2);
    List<Long> stubbornProcesses = TestingReplicas.running(TestingReplicas.processesWith(stubbornEnv), "sleep");

    backend.apply(stubborn, TestingReplicas.stopsOfAll(stubborn));
    assertTrue(stubbornProcesses.stream().allMatch(TestingReplicas::alive), "apply returned before the grace period ran out");
    backend.apply(quick, TestingReplicas.startsOfMissing(backend, quick));
    TestingReplicas.await("the other job's replica runs", () -> TestingReplicas.allInPhase(backend, quick, ReplicaPhase.Running));

    assertTrue(stubbornProcesses.stream().allMatch(TestingReplicas::alive), "the stubborn replicas are still in their grace period");
    assertTrue(TestingReplicas.allInPhase(backend, stubborn, ReplicaPhase.Running), "a replica being stopped is still reported");
    // A second server start (after a crash) would resume the same stop; here end it early.
    stubbornProcesses.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
    TestingReplicas.await("the stopped replicas are forgotten", () -> backend.observe(stubborn).replicas().isEmpty());
    backend.apply(quick, TestingReplicas.stopsOfAll(quick));
    TestingReplicas.await("the quick replica is stopped", () -> backend.observe(quick).replicas().isEmpty());
    assertEquals(List.of(), TestingReplicas.processesWith(Map.of("CAPSTAN_JOB_NAMESPACE", namespace)));
  }
}
