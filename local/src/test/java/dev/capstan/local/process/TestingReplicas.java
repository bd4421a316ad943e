package dev.capstan.local.process;

import dev.capstan.api.codec.Manifests;
import dev.capstan.api.training.ReplicaId;
import dev.capstan.api.training.TrainingJob;
import dev.capstan.api.training.TrainingJobModel;
import dev.capstan.core.training.ReplicaAction;
import dev.capstan.core.training.ReplicaBackend;
import dev.capstan.core.training.ReplicaLabels;
import dev.capstan.core.training.ReplicaLaunch;
import dev.capstan.core.training.ReplicaObservation;
import dev.capstan.core.training.ReplicaPhase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Shell-command jobs and the actions a control loop would send for them, for tests that drive a
 * {@link ProcessReplicaBackend} directly, plus the /proc view of what actually runs.
 */
final class TestingReplicas {
  private TestingReplicas() {}

  /** A job of {@code workers} workers, each running {@code script} under sh. */
  static TrainingJob shellJob(String namespace, String name, int workers, int graceSeconds, String script) {
    String yaml = "apiVersion: capstan.dev/v1alpha1\nkind: TrainingJob\nmetadata:\n  name: " + name
        + "\n  namespace: " + namespace + "\n  generation: 1\nspec:\n  framework: pytorch\n  replicas:\n"
        + "    worker:\n      count: " + workers + "\n      restartPolicy: Never\n      template:\n        spec:\n"
        + "          terminationGracePeriodSeconds: " + graceSeconds + "\n          containers:\n"
        + "            - name: pytorch\n              command: [sh, -c, " + quote(script) + "]\n";
    return (TrainingJob) Manifests.toResource(Manifests.parseDocuments(yaml, "test.yaml").get(0));
  }

  /** Start of every replica of the job that the backend does not report, as the planner asks. */
  static List<ReplicaAction> startsOfMissing(ReplicaBackend backend, TrainingJob job) {
    TrainingJobModel model = TrainingJobModel.from(job);
    var addressing = backend.addressing(model);
    var observed = backend.observe(job);
    List<ReplicaAction> starts = new ArrayList<>();
    for (ReplicaId id : model.replicas()) {
      if (observed.get(id).isEmpty()) {
        starts.add(new ReplicaAction.Start(new ReplicaLaunch(id, id.name(model.name()), 0,
            dev.capstan.core.training.env.EnvContract.forReplica(model, id, addressing, 0),
            ReplicaLabels.of(model, id, 0), model.groupOf(id))));
      }
    }
    return starts;
  }

  static List<ReplicaAction> stopsOfAll(TrainingJob job) {
    return TrainingJobModel.from(job).replicas().stream()
        .map(id -> (ReplicaAction) new ReplicaAction.Stop(id, "test")).toList();
  }

  static boolean allInPhase(ReplicaBackend backend, TrainingJob job, ReplicaPhase phase) {
    var observed = backend.observe(job);
    return TrainingJobModel.from(job).replicas().stream()
        .allMatch(id -> observed.get(id).map(ReplicaObservation::phase).orElse(null) == phase);
  }

  /** Polls until the condition holds; fails after a generous deadline. */
  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(20);
    }
  }

  /** Live (non-zombie) processes whose environment holds every one of these variables. */
  static List<Long> processesWith(Map<String, String> env) {
    List<String> needles = env.entrySet().stream().map(e -> "\0" + e.getKey() + "=" + e.getValue() + "\0").toList();
    List<Long> pids = new ArrayList<>();
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), p -> p.getFileName().toString().matches("\\d+"))) {
      for (Path p : procs) {
        try {
          String environ = "\0" + new String(Files.readAllBytes(p.resolve("environ")), StandardCharsets.ISO_8859_1);
          String stat = Files.readString(p.resolve("stat"));
          boolean zombie = stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
          if (!zombie && needles.stream().allMatch(environ::contains)) {
            pids.add(Long.parseLong(p.getFileName().toString()));
          }
        } catch (IOException e) {
          // ended while we looked
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return pids;
  }

  /** The processes among these whose program is {@code name} (the replica's command, not its wrapper). */
  static List<Long> running(List<Long> pids, String name) {
    return pids.stream().filter(pid -> {
      try {
        String cmdline = Files.readString(Path.of("/proc", pid.toString(), "cmdline"));
        return cmdline.split("\0")[0].endsWith(name);
      } catch (IOException | RuntimeException e) {
        return false;
      }
    }).toList();
  }

  static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && isNotZombie(pid);
  }

  private static boolean isNotZombie(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (IOException e) {
      return false;
    }
  }

  static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
