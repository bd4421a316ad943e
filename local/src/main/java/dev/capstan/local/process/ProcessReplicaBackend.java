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
import dev.capstan.local.OwnerOnly;
import dev.capstan.local.host.GpuInventory;
import dev.capstan.local.store.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Replicas as OS processes on this machine: the local implementation of the core port.
 *
 * <p>{@link #apply} only records intents (durably, so they survive a {@code kill -9}) and hands
 * the work to the replica's lane; starting and stopping processes, grace periods included, run
 * there, so a pass never waits on a process. A replica whose start was asked for is reported
 * Pending at that attempt until its process is recorded; a replica being stopped is reported
 * as still active until every process of it has ended. A new backend resumes every unfinished
 * intent, which is how stops and starts in flight survive a crash of the server.
 */
public final class ProcessReplicaBackend implements ReplicaBackend, AutoCloseable {
  private static final TypeReference<TreeMap<String, Integer>> PORTS = new TypeReference<>() {};

  private final LocalPaths paths;
  private final ReplicaProcesses processes;
  private final ReplicaConvergence convergence;
  private final ReplicaLanes lanes;
  private final PortAllocator ports = new PortAllocator();
  private final LogMetrics metrics = new LogMetrics();
  private final GpuInventory gpus;
  private final ReplicaCgroups cgroups;
  private final ReplicaPidNamespaces namespaces;

  /** Contains replicas as tightly as this host allows, and says in the server's log how. */
  public ProcessReplicaBackend(LocalPaths paths, GpuInventory gpus) {
    this(paths, gpus, ReplicaCgroups.detect(), ReplicaPidNamespaces.detect());
    System.err.println("capstan: replica processes are contained by " + containment(cgroups, namespaces));
  }

  ProcessReplicaBackend(LocalPaths paths, GpuInventory gpus, ReplicaCgroups cgroups, ReplicaPidNamespaces namespaces) {
    this.paths = paths;
    this.gpus = gpus;
    this.cgroups = cgroups;
    this.namespaces = namespaces;
    this.processes = new ReplicaProcesses(namespaces);
    this.convergence = new ReplicaConvergence(processes, cgroups);
    this.lanes = new ReplicaLanes(replica -> {
      convergence.converge(replica);
      convergence.sweepIfExited(replica);
    });
    reserveKnownPorts();
    everyReplicaDir().forEach(lanes::submit);
  }

  /** How replicas are held together: what a stop or the exit of a replica's main process can reach. */
  static String containment(ReplicaCgroups cgroups, ReplicaPidNamespaces namespaces) {
    String marker = Incarnation.MARKER + " in their environment and their process group";
    if (cgroups.available()) {
      return "a cgroup each under " + cgroups.root() + " (else " + namespaces.describe() + "), " + marker;
    }
    if (namespaces.available()) {
      return namespaces.describe() + ", " + marker;
    }
    return marker + " only: no cgroup or PID namespace can be made here, so a child that clears its"
        + " environment and calls setsid can outlive its replica";
  }

  /**
   * Lets starts and stops in hand finish for a few seconds; the replicas themselves run on, to be
   * adopted by the next server, as does any intent left unfinished.
   */
  @Override
  public void close() {
    lanes.close();
  }

  @Override
  public Observed observe(TrainingJob job) {
    List<ReplicaObservation> found = new ArrayList<>();
    for (Path replicaDir : replicaDirs(jobDir(job))) {
      ReplicaId id;
      try {
        id = ReplicaId.parseShort(replicaDir.getFileName().toString());
      } catch (IllegalArgumentException e) {
        continue;
      }
      observe(id, replicaDir).ifPresent(found::add);
    }
    return Observed.of(found).withMetrics(latestMetrics(job));
  }

  private Optional<ReplicaObservation> observe(ReplicaId id, Path dir) {
    Optional<ReplicaIntent> intent = ReplicaIntent.read(dir);
    Optional<ReplicaProcesses.Status> status = processes.inspect(dir);
    if (intent.isPresent() && intent.get().stopping()) {
      int attempt = intent.get().attempt();
      return Optional.of(status.isPresent() ? ReplicaObservation.running(id, attempt) : ReplicaObservation.pending(id, attempt));
    }
    if (intent.isPresent() && status.filter(s -> s.record().isOf(intent.get().current())).isEmpty()) {
      return Optional.of(ReplicaObservation.pending(id, intent.get().attempt()));
    }
    return status.map(s -> {
      int exit = s.exitCode().orElse(ReplicaObservation.LOST_EXIT_CODE);
      if (s.alive()) {
        return ReplicaObservation.running(id, s.record().attempt());
      }
      return s.record().commandProblem() == null ? ReplicaObservation.exited(id, exit, s.record().attempt())
          : ReplicaObservation.cannotExecute(id, exit, s.record().attempt(), s.record().commandProblem());
    });
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
      try {
        OwnerOnly.directories(file.getParent());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create " + file.getParent(), e);
      }
      writeJson(file, known);
    }
    Map<ReplicaId, Integer> byId = new LinkedHashMap<>();
    known.forEach((k, v) -> byId.put(ReplicaId.parseShort(k), v));
    // XGBoost and LightGBM programs build their machine list as addr:WORKER_PORT, one port for all.
    return job.framework() == dev.capstan.api.training.Framework.XGBOOST
        ? LoopbackAddressing.addressPerReplica(byId, job.replicas()) : new LoopbackAddressing(byId);
  }

  /**
   * Records what the actions ask and hands the work to each replica's lane; returns without
   * waiting on any process. Replicas of the job with work left (a stop or start in flight, an
   * earlier failure to act, an exited replica's leftovers) are handed to their lanes again.
   */
  @Override
  public void apply(TrainingJob job, List<ReplicaAction> actions) {
    for (ReplicaAction action : actions) {
      switch (action) {
        case ReplicaAction.Start start -> recordStart(job, start.launch());
        case ReplicaAction.Stop stop -> recordStop(replicaDir(job, stop.id()), stop.grace().orElseGet(() -> grace(job, stop.id())));
      }
    }
    replicaDirs(jobDir(job)).stream().filter(convergence::unsettled).forEach(lanes::submit);
  }

  /** The ports this backend hands out: serving replicas take theirs from the same allocator. */
  public PortAllocator ports() {
    return ports;
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

  private void recordStart(TrainingJob job, ReplicaLaunch launch) {
    Path dir = replicaDir(job, launch.id());
    synchronized (convergence.lock(dir)) {
      Optional<ReplicaIntent> current = ReplicaIntent.read(dir);
      int known = current.filter(i -> !i.stopping()).map(ReplicaIntent::attempt)
          .or(() -> current.isEmpty() ? processes.record(dir).map(ProcessRecord::attempt) : Optional.empty())
          .orElse(-1);
      if (known >= launch.attempt()) {
        return;
      }
      int wanted = (int) Math.min(Integer.MAX_VALUE, GpuRequest.of(launch.group()));
      List<Integer> assigned = gpus.assign(wanted, gpusInUse(dir));
      LaunchCommand command = LocalLaunch.command(job, launch, assigned, gpus.present(), logFile(job, launch.id()));
      List<Incarnation> stale = current.map(ReplicaIntent::everyIncarnation).orElse(List.of());
      ReplicaIntent.run(launch.attempt(), convergence.nextIncarnation(), stale, assigned,
          Instant.now().plus(grace(job, launch.id())), command).write(dir);
    }
  }

  private void recordStop(Path dir, Duration grace) {
    synchronized (convergence.lock(dir)) {
      Optional<ReplicaIntent> current = ReplicaIntent.read(dir);
      if (current.filter(ReplicaIntent::stopping).isPresent()) {
        return;
      }
      Instant killAt = Instant.now().plus(grace);
      if (current.isPresent()) {
        current.get().stop(killAt).write(dir);
      } else {
        processes.record(dir).ifPresent(r -> new ReplicaIntent(ReplicaIntent.Kind.Stop, r.attempt(), null,
            List.of(), r.gpus(), killAt.toEpochMilli(), null).write(dir));
      }
    }
  }

  /** GPUs held by other replicas: those being started or stopped, and those whose process runs. */
  private List<Integer> gpusInUse(Path except) {
    List<Integer> used = new ArrayList<>();
    for (Path replica : everyReplicaDir()) {
      if (replica.equals(except)) {
        continue;
      }
      Optional<ReplicaIntent> intent = ReplicaIntent.read(replica);
      Optional<ReplicaProcesses.Status> status = processes.inspect(replica);
      boolean recordedAndEnded = status.isPresent() && !status.get().alive()
          && intent.map(i -> !i.stopping() && status.get().record().isOf(i.current())).orElse(true);
      if (intent.isPresent() && !recordedAndEnded) {
        used.addAll(intent.get().gpus());
      } else if (intent.isEmpty()) {
        status.filter(ReplicaProcesses.Status::alive).ifPresent(s -> used.addAll(s.record().gpus()));
      }
    }
    return used;
  }

  private List<Path> everyReplicaDir() {
    List<Path> all = new ArrayList<>();
    for (Path ns : replicaDirs(paths.runtime())) {
      for (Path job : replicaDirs(ns)) {
        all.addAll(replicaDirs(job));
      }
    }
    return all;
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
