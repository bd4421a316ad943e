package dev.capstan.local.process;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.capstan.api.codec.Manifests;
import dev.capstan.api.training.ReplicaId;
import dev.capstan.api.training.TrainingJob;
import dev.capstan.api.training.TrainingJobModel;
import dev.capstan.api.validation.InvalidSpecException;
import dev.capstan.core.training.Observed;
import dev.capstan.core.training.ReplicaAction;
import dev.capstan.core.training.ReplicaBackend;
import dev.capstan.core.training.ReplicaLaunch;
import dev.capstan.core.training.ReplicaObservation;
import dev.capstan.core.training.env.LoopbackAddressing;
import dev.capstan.core.training.env.ReplicaAddressing;
import dev.capstan.local.LocalPaths;
import dev.capstan.local.host.GpuInventory;
import dev.capstan.local.store.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/** Replicas as OS processes on this machine: the local implementation of the core port. */
public final class ProcessReplicaBackend implements ReplicaBackend {
  private static final TypeReference<TreeMap<String, Integer>> PORTS = new TypeReference<>() {};

  private final LocalPaths paths;
  private final ReplicaProcesses processes = new ReplicaProcesses();
  private final PortAllocator ports = new PortAllocator();
  private final LogMetrics metrics = new LogMetrics();
  private final GpuInventory gpus;

  public ProcessReplicaBackend(LocalPaths paths, GpuInventory gpus) {
    this.paths = paths;
    this.gpus = gpus;
    reserveKnownPorts();
  }

  @Override
  public Observed observe(TrainingJob job) {
    Path dir = jobDir(job);
    List<ReplicaObservation> found = new ArrayList<>();
    for (Path replicaDir : replicaDirs(dir)) {
      ReplicaId id;
      try {
        id = ReplicaId.parseShort(replicaDir.getFileName().toString());
      } catch (IllegalArgumentException e) {
        continue;
      }
      processes.inspect(replicaDir).ifPresent(s -> found.add(s.alive()
          ? ReplicaObservation.running(id, s.record().attempt())
          : ReplicaObservation.exited(id, s.exitCode().orElse(ReplicaObservation.LOST_EXIT_CODE), s.record().attempt())));
    }
    return Observed.of(found).withMetrics(latestMetrics(job));
  }

  @Override
  public ReplicaAddressing addressing(TrainingJobModel job) {
    Path file = paths.jobRuntime(job.namespace(), job.name()).resolve("ports.json");
    Map<String, Integer> known = readPorts(file);
    boolean changed = false;
    for (ReplicaId id : job.replicas()) {
      if (!known.containsKey(id.shortName())) {
        known.put(id.shortName(), ports.allocate());
        changed = true;
      }
    }
    if (changed) {
      writeJson(file, known);
    }
    Map<ReplicaId, Integer> byId = new LinkedHashMap<>();
    known.forEach((k, v) -> byId.put(ReplicaId.parseShort(k), v));
    return new LoopbackAddressing(byId);
  }

  @Override
  public void apply(TrainingJob job, List<ReplicaAction> actions) {
    for (ReplicaAction action : actions) {
      switch (action) {
        case ReplicaAction.Start start -> start(job, start.launch());
        case ReplicaAction.Stop stop -> processes.stop(replicaDir(job, stop.id()), grace(job, stop.id()));
      }
    }
  }

  /** Forgets a removed job: its runtime records, ports and logs. */
  public void release(TrainingJob job) {
    readPorts(jobDir(job).resolve("ports.json")).values().forEach(ports::release);
    deleteTree(jobDir(job));
    Path logs = paths.logs().resolve(namespace(job)).resolve(job.getMetadata().getName());
    replicaDirs(logs).forEach(metrics::forget);
    deleteTree(logs);
  }

  public Path logFile(TrainingJob job, ReplicaId id) {
    return paths.replicaLog(namespace(job), job.getMetadata().getName(), id.shortName());
  }

  private void start(TrainingJob job, ReplicaLaunch launch) {
    Path dir = replicaDir(job, launch.id());
    Optional<ReplicaProcesses.Status> current = processes.inspect(dir);
    if (current.isPresent() && current.get().record().attempt() >= launch.attempt()) {
      return;
    }
    current.ifPresent(s -> processes.stop(dir, grace(job, launch.id())));
    int wanted = (int) Math.min(Integer.MAX_VALUE, GpuRequest.of(launch.group()));
    List<Integer> assigned = gpus.assign(wanted, gpusInUse());
    LaunchCommand command = LocalLaunch.command(job, launch, assigned, gpus.present(), logFile(job, launch.id()));
    processes.start(dir, launch.attempt(), assigned, command);
  }

  private List<Integer> gpusInUse() {
    List<Integer> used = new ArrayList<>();
    for (Path ns : replicaDirs(paths.runtime())) {
      for (Path job : replicaDirs(ns)) {
        for (Path replica : replicaDirs(job)) {
          processes.inspect(replica).filter(ReplicaProcesses.Status::alive).ifPresent(s -> used.addAll(s.record().gpus()));
        }
      }
    }
    return used;
  }

  private Duration grace(TrainingJob job, ReplicaId id) {
    try {
      Long seconds = TrainingJobModel.from(job).groupOf(id).template().getSpec().getTerminationGracePeriodSeconds();
      return Duration.ofSeconds(seconds == null ? 5 : Math.min(seconds, 30));
    } catch (InvalidSpecException | IllegalArgumentException e) {
      return Duration.ofSeconds(5);
    }
  }

  /** The rank-0 replica's metrics win over the others' when both print the same name. */
  private Map<String, String> latestMetrics(TrainingJob job) {
    Map<String, String> merged = new LinkedHashMap<>();
    String rankZero;
    try {
      rankZero = TrainingJobModel.from(job).rankZero().shortName();
    } catch (InvalidSpecException e) {
      return merged;
    }
    Path logs = paths.logs().resolve(namespace(job)).resolve(job.getMetadata().getName());
    List<Path> files = replicaDirs(logs).stream()
        .sorted(Comparator.comparing((Path p) -> p.getFileName().toString().equals(rankZero + ".log"))).toList();
    files.forEach(f -> merged.putAll(metrics.latest(f)));
    return merged;
  }

  private void reserveKnownPorts() {
    for (Path ns : replicaDirs(paths.runtime())) {
      for (Path job : replicaDirs(ns)) {
        readPorts(job.resolve("ports.json")).values().forEach(ports::reserve);
      }
    }
  }

  private Path jobDir(TrainingJob job) {
    return paths.jobRuntime(namespace(job), job.getMetadata().getName());
  }

  private Path replicaDir(TrainingJob job, ReplicaId id) {
    return jobDir(job).resolve(id.shortName());
  }

  private static String namespace(TrainingJob job) {
    return job.getMetadata().getNamespace() == null ? "default" : job.getMetadata().getNamespace();
  }

  private static List<Path> replicaDirs(Path dir) {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> !p.getFileName().toString().startsWith(".")).filter(p -> !p.getFileName().toString().endsWith(".json"))
          .sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static Map<String, Integer> readPorts(Path file) {
    if (!Files.exists(file)) {
      return new TreeMap<>();
    }
    try {
      return Manifests.json().readValue(file.toFile(), PORTS);
    } catch (IOException e) {
      return new TreeMap<>();
    }
  }

  private static void writeJson(Path file, Object value) {
    try {
      DurableFiles.write(file, Manifests.json().writeValueAsBytes(value));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
