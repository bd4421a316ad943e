package dev.capstan.local.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.capstan.api.training.TrainingJob;
import dev.capstan.api.training.TrainingJobModel;
import dev.capstan.core.training.ReplicaPhase;
import dev.capstan.local.LocalPaths;
import dev.capstan.local.host.GpuInventory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server killed with SIGKILL at random moments while it starts (or stops) replicas: after a
 * new backend takes over and the control loop asks again for what is missing, every replica runs
 * exactly once, and stopping them leaves no process behind.
 */
class ServerKillTest {
  private static final int KILL_POINTS = 50;
  private static final int JOBS = 3;
  private static final int REPLICAS = 2;

  @TempDir Path temp;
  private static String classPath;

  /**
   * The drivers run on a copy of this JVM's class directories, so they load the very classes
   * under test even if the build rewrites its output while this test runs.
   */
  @org.junit.jupiter.api.BeforeAll
  static void copyClassDirectories(@TempDir Path copies) throws IOException {
    List<String> entries = new ArrayList<>();
    int n = 0;
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      Path source = Path.of(entry);
      if (Files.isDirectory(source)) {
        Path target = copies.resolve("dir-" + n++);
        try (var walk = Files.walk(source)) {
          for (Path p : walk.toList()) {
            Files.copy(p, target.resolve(source.relativize(p).toString()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          }
        }
        entries.add(target.toString());
      } else {
        entries.add(entry);
      }
    }
    classPath = String.join(java.io.File.pathSeparator, entries);
  }

  @Test
  void everyReplicaRunsExactlyOnceWhereverTheServerWasKilled() throws Exception {
    Random random = new Random();
    long seed = random.nextLong();
    random.setSeed(seed);
    Path calibration = Files.createDirectories(temp.resolve("calibration"));
    String calibrationNs = namespace();
    Driver full = Driver.start(calibration, calibrationNs, "start");
    long window = full.millisUntil("settled");
    full.kill();
    recoverCheckAndDelete(calibration, calibrationNs);
    long began = System.nanoTime();
    for (int point = 0; point < KILL_POINTS; point++) {
      Path home = Files.createDirectories(temp.resolve("home-" + point));
      String namespace = namespace();
      Driver driver = Driver.start(home, namespace, "start");
      long delay = (long) (random.nextDouble() * window * 1.2);
      driver.killAfter(delay);
      try {
        recoverCheckAndDelete(home, namespace);
      } catch (AssertionError e) {
        throw new AssertionError("kill point " + point + " (" + delay + " ms after go, seed " + seed + "): " + e.getMessage(), e);
      }
    }
    System.out.printf("%d kill points within %d ms of go: %d ms each%n", KILL_POINTS, window * 12 / 10,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - began) / KILL_POINTS);
  }

  @Test
  void aStopInFlightIsFinishedByTheNextServer() throws Exception {
    String namespace = namespace();
    Driver driver = Driver.start(temp, namespace, "stop");
    driver.millisUntil("stopping");
    driver.kill();
    ProcessReplicaBackend next = new ProcessReplicaBackend(new LocalPaths(temp), new GpuInventory(List.of()));
    for (TrainingJob job : BackendUnderKill.jobs(namespace, JOBS, REPLICAS, "")) {
      TestingReplicas.await("the stopped replicas are gone", () -> next.observe(job).replicas().isEmpty());
    }
    assertEquals(List.of(), TestingReplicas.processesWith(Map.of("CAPSTAN_JOB_NAMESPACE", namespace)),
        "every process of the stopped replicas ended");
  }

  private static void recoverCheckAndDelete(Path home, String namespace) throws Exception {
    ProcessReplicaBackend backend = new ProcessReplicaBackend(new LocalPaths(home), new GpuInventory(List.of()));
    List<TrainingJob> jobs = BackendUnderKill.jobs(namespace, JOBS, REPLICAS, "sleep 600");
    TestingReplicas.await("every replica runs again", () -> {
      jobs.forEach(job -> backend.apply(job, TestingReplicas.startsOfMissing(backend, job)));
      return jobs.stream().allMatch(j -> TestingReplicas.allInPhase(backend, j, ReplicaPhase.Running));
    });
    for (TrainingJob job : jobs) {
      for (var id : TrainingJobModel.from(job).replicas()) {
        Map<String, String> replica = Map.of("CAPSTAN_JOB_NAMESPACE", namespace,
            "CAPSTAN_JOB_NAME", job.getMetadata().getName(), "CAPSTAN_REPLICA_INDEX", Integer.toString(id.index()));
        TestingReplicas.await("the replica's command runs",
            () -> !TestingReplicas.running(TestingReplicas.processesWith(replica), "sleep").isEmpty());
        List<Long> copies = TestingReplicas.running(TestingReplicas.processesWith(replica), "sleep");
        assertEquals(1, copies.size(), job.getMetadata().getName() + "/" + id.shortName() + " runs exactly once: " + copies);
      }
    }
    jobs.forEach(job -> backend.apply(job, TestingReplicas.stopsOfAll(job)));
    TestingReplicas.await("every replica is stopped", () -> jobs.stream().allMatch(j -> {
      backend.apply(j, List.of());
      return backend.observe(j).replicas().isEmpty();
    }));
    jobs.forEach(backend::release);
    assertEquals(List.of(), TestingReplicas.processesWith(Map.of("CAPSTAN_JOB_NAMESPACE", namespace)),
        "nothing of the deleted jobs runs on");
  }

  private static String namespace() {
    return "kill-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** The stand-in server in its own JVM, reading what it prints. */
  private record Driver(Process process, BufferedReader out, long started) {
    static Driver start(Path home, String namespace, String mode) throws IOException {
      List<String> argv = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
          "-XX:TieredStopAtLevel=1", "-Xshare:auto", "-cp", classPath,
          BackendUnderKill.class.getName(), home.toString(), namespace, Integer.toString(JOBS), Integer.toString(REPLICAS), mode));
      Process p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      Driver d = new Driver(p, new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)), System.nanoTime());
      d.millisUntil("go");
      return d;
    }

    /** Reads until the line and returns the milliseconds since "go" was read. */
    long millisUntil(String line) throws IOException {
      long from = System.nanoTime();
      String read;
      while ((read = out.readLine()) != null) {
        if (read.equals(line)) {
          return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - from);
        }
      }
      throw new AssertionError("the driver ended before printing " + line);
    }

    void killAfter(long millis) throws InterruptedException {
      if (millis > 0) {
        Thread.sleep(millis);
      }
      kill();
    }

    void kill() throws InterruptedException {
      process.destroyForcibly();
      process.waitFor();
    }
  }
}
