package dev.capstan.local.process;

import dev.capstan.api.training.TrainingJob;
import dev.capstan.core.training.ReplicaPhase;
import dev.capstan.local.LocalPaths;
import dev.capstan.local.host.GpuInventory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A stand-in for the server, run in its own JVM so a test can {@code kill -9} it at any moment:
 * it drives a {@link ProcessReplicaBackend} over a home as the control loop would. Arguments:
 * home, namespace, jobs, replicas per job, then {@code start} (start every job, print
 * {@code settled} once all run) or {@code stop} (start them, then stop them all and print
 * {@code stopping}). Prints {@code go} just before its first action.
 */
public final class BackendUnderKill {
  private BackendUnderKill() {}

  public static void main(String[] args) throws Exception {
    Path home = Path.of(args[0]);
    String namespace = args[1];
    int jobCount = Integer.parseInt(args[2]);
    int replicas = Integer.parseInt(args[3]);
    boolean stop = args[4].equals("stop");
    ProcessReplicaBackend backend = new ProcessReplicaBackend(new LocalPaths(home), new GpuInventory(List.of()));
    List<TrainingJob> jobs = jobs(namespace, jobCount, replicas, stop ? "trap '' TERM; sleep 600" : "sleep 600");
    System.out.println("go");
    System.out.flush();
    for (TrainingJob job : jobs) {
      backend.apply(job, TestingReplicas.startsOfMissing(backend, job));
    }
    TestingReplicas.await("every replica runs", () -> jobs.stream().allMatch(j -> TestingReplicas.allInPhase(backend, j, ReplicaPhase.Running)));
    System.out.println("settled");
    System.out.flush();
    if (stop) {
      for (TrainingJob job : jobs) {
        backend.apply(job, TestingReplicas.stopsOfAll(job));
      }
      System.out.println("stopping");
      System.out.flush();
    }
    Thread.sleep(Long.MAX_VALUE);
  }

  static List<TrainingJob> jobs(String namespace, int count, int replicas, String script) {
    List<TrainingJob> jobs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      jobs.add(TestingReplicas.shellJob(namespace, "job-" + i, replicas, 2, script));
    }
    return jobs;
  }
}
