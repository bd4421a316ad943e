package dev.capstan.local.serving;

import dev.capstan.api.codec.Manifests;
import dev.capstan.core.queue.ResourceAmounts;
import dev.capstan.core.serving.ReplicaEndpoint;
import dev.capstan.core.serving.RevisionKey;
import dev.capstan.local.OwnerOnly;
import dev.capstan.local.process.PortAllocator;
import dev.capstan.local.process.SupervisedReplicas;
import dev.capstan.local.store.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * A revision's replicas as {@code capstan serve} processes on this machine, in the durable
 * process layer ({@link SupervisedReplicas}: a {@code kill -9} of the server never leaves two
 * copies or an orphan). Each replica has a directory {@code serving/runtime/{ns}/{service}/{revision}/{index}}
 * holding its ports and resource demand ({@code replica.json}, written before it starts) and a
 * log under {@code logs/serving/…}. A replica is ready once it answers {@code /v2/health/ready};
 * one that exits is restarted after a back-off that doubles up to 30 s, like a kubelet restarting
 * a container, and reported Failed with its exit and last log line meanwhile. A stopped replica
 * is drained by SIGTERM (serve answers what it accepted), killed after the grace, then forgotten
 * with its ports.
 */
public final class ServingReplicas implements AutoCloseable {
  static final Duration STOP_GRACE = Duration.ofSeconds(20);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
  private static final String RECORD = "replica.json";
  private static final Duration LOADING_PRIORITY = Duration.ofSeconds(30);

  /**
   * What is kept of a replica before it starts: its ports and what it holds of the host; for a
   * standby taken as the replica, the attempt that standby runs as ({@code fromStandby}, null
   * otherwise): that process gets its model by a load call, later attempts start with it; and the
   * standby's old directory ({@code standbyMailbox}), where that process writes its exit code.
   */
  record ReplicaRecord(int restPort, int grpcPort, long cpuMillis, long memoryBytes, String modelDir, Integer fromStandby,
      String standbyMailbox) {
    ReplicaRecord(int restPort, int grpcPort, long cpuMillis, long memoryBytes, String modelDir) {
      this(restPort, grpcPort, cpuMillis, memoryBytes, modelDir, null, null);
    }

    /** Brings a former standby's exit code into the replica's directory, where its exit is read; whether one came. */
    boolean collectStandbyExit(Path replica) {
      return standbyMailbox != null && StandbyReplicas.collectExit(Path.of(standbyMailbox), replica);
    }

    void dropStandbyMailbox() {
      if (standbyMailbox != null) {
        StandbyReplicas.removeSlot(Path.of(standbyMailbox));
      }
    }

    ResourceAmounts demand() {
      return new ResourceAmounts(cpuMillis, memoryBytes, 0);
    }
  }

  private final Path runtime;
  private final Path logs;
  private final ServeLaunch launch;
  private final PortAllocator ports;
  private final SupervisedReplicas supervised;
  private final ReadinessProbes probes;
  private final StandbyReplicas standbys;
  /** Revisions whose model a standby refused to load: they take no more standbys, and report why. */
  private final Map<RevisionKey, String> loadRefusals = new ConcurrentHashMap<>();
  /** Standbys taken and still loading their model, since when: no new standby starts meanwhile. */
  private final Map<Path, Instant> loading = new ConcurrentHashMap<>();
  private final Map<Path, Instant> restartAfter = new ConcurrentHashMap<>();
  /** Replicas that exited since they were last ready: the failure is the revision's to report. */
  private final Map<Path, String> failures = new ConcurrentHashMap<>();
  private volatile boolean standbysEnded;

  public ServingReplicas(Path runtime, Path logs, ServeLaunch launch, PortAllocator ports, Runnable onReady) {
    this(runtime, logs, launch, ports, onReady, 0, runtime);
  }

  /**
   * Replicas under {@code runtime}, with a pool of {@code standbys} warm standbys (0 for none)
   * kept beside it ({@code serving/standby}), able to load any model copy under {@code modelRoot}.
   */
  public ServingReplicas(Path runtime, Path logs, ServeLaunch launch, PortAllocator ports, Runnable onReady, int standbys,
      Path modelRoot) {
    this.runtime = runtime;
    this.logs = logs;
    this.launch = launch;
    this.ports = ports;
    this.probes = new ReadinessProbes(onReady);
    for (Path dir : replicaDirs(runtime, 4)) {
      readRecord(dir).ifPresent(r -> {
        ports.reserve(r.restPort());
        ports.reserve(r.grpcPort());
      });
    }
    if (launch.cdsDir() != null) {
      try {
        OwnerOnly.directories(launch.cdsDir());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create " + launch.cdsDir(), e);
      }
    }
    this.supervised = new SupervisedReplicas(runtime);
    this.standbys = new StandbyReplicas(runtime.resolveSibling("standby"), logs.resolve(".standby"), launch, ports, standbys,
        modelRoot);
    this.standbys.tend(ResourceAmounts.ZERO);
  }

  /**
   * Makes a waiting standby replica {@code index} of the revision, if one runs and the replica's
   * {@code demand} fits in what is {@code left} with the standby's own share given back; its model
   * is then loaded by a call rather than a new process. False when no standby can be used (none
   * runs, it does not fit, or a standby refused this revision's model before).
   */
  public synchronized boolean startFromStandby(RevisionKey key, int index, Path modelDir, ResourceAmounts demand,
      ResourceAmounts left) {
    Path dir = replicaDir(key, index);
    if (loadRefusals.containsKey(key) || Files.exists(dir) || !demand.fitsIn(left.plus(StandbyReplicas.DEMAND))) {
      return false;
    }
    boolean taken = standbys.takeInto(dir, logFile(key, index), (slot, standby) -> {
      int attempt = Math.max(0, supervised.state(slot).attempt());
      write(slot, new ReplicaRecord(standby.restPort(), standby.grpcPort(), demand.cpuMillis(), demand.memoryBytes(),
          modelDir.toString(), attempt, slot.toString()));
    }).isPresent();
    if (taken) {
      loading.put(dir, Instant.now());
    }
    return taken;
  }

  /**
   * Keeps the standby pool full, starting a standby only where its share fits in {@code left} and
   * no taken standby is still loading its model (for at most {@link #LOADING_PRIORITY}): a JVM
   * starting beside it would take the cores that load and its first request need.
   */
  public void tendStandbys(ResourceAmounts left) {
    if (standbysEnded) {
      return;
    }
    Instant now = Instant.now();
    loading.values().removeIf(since -> since.plus(LOADING_PRIORITY).isBefore(now));
    standbys.tend(loading.isEmpty() ? left : ResourceAmounts.ZERO);
  }

  /** Why a standby refused the revision's model, if one did. */
  public Optional<String> loadRefusal(RevisionKey key) {
    return Optional.ofNullable(loadRefusals.get(key));
  }

  /**
   * Stops the standbys, for a server that ends on purpose, and starts no more: unlike replicas,
   * which run on to be adopted, a standby serves nothing without a server. One whose server was
   * killed ends by itself (see {@link ServeLaunch}).
   */
  public void endStandbys() {
    standbysEnded = true;
    standbys.endAll();
  }

  /** The standbys' server processes running now, waiting for a model (their wrappers' PIDs). */
  public List<Long> standbyPids() {
    return standbys.pids();
  }

  /** Starts replica {@code index} of the revision over its model copy, unless it runs already. */
  public synchronized void start(RevisionKey key, int index, Path modelDir, ResourceAmounts demand) {
    Path dir = replicaDir(key, index);
    ReplicaRecord record = readRecord(dir).orElseGet(() -> {
      ReplicaRecord fresh = new ReplicaRecord(ports.allocate(), ports.allocate(), demand.cpuMillis(), demand.memoryBytes(),
          modelDir.toString());
      write(dir, fresh);
      return fresh;
    });
    supervised.run(dir, 0, command(key, index, modelDir, record), STOP_GRACE);
  }

  /** Drains and stops replica {@code index} of the revision. */
  public synchronized void stop(RevisionKey key, int index) {
    Path dir = replicaDir(key, index);
    supervised.stop(dir, STOP_GRACE);
    restartAfter.remove(dir);
  }

  /** Every replica of the revision, started or being stopped, by index. */
  public List<ReplicaState> observe(RevisionKey key) {
    List<ReplicaState> found = new ArrayList<>();
    for (Path dir : replicaDirs(revisionDir(key), 1)) {
      Optional<ReplicaRecord> record = readRecord(dir);
      int index = index(dir);
      if (record.isEmpty() || index < 0) {
        continue;
      }
      ReplicaEndpoint endpoint = new ReplicaEndpoint(key.revision() + "-" + index, "127.0.0.1", record.get().restPort(),
          record.get().grpcPort());
      found.add(state(dir, index, endpoint, record.get()));
    }
    return found;
  }

  private ReplicaState state(Path dir, int index, ReplicaEndpoint endpoint, ReplicaRecord record) {
    SupervisedReplicas.State s = supervisedState(dir, Optional.of(record));
    int restarts = Math.max(0, s.attempt());
    return switch (s.phase()) {
      case Stopping -> new ReplicaState(index, endpoint, ReplicaState.Phase.Stopping, 0, restarts, Optional.empty());
      case Starting, Absent -> new ReplicaState(index, endpoint, ReplicaState.Phase.Starting, 0, restarts,
          Optional.ofNullable(failures.get(dir)));
      case Exited -> new ReplicaState(index, endpoint, ReplicaState.Phase.Failed, 0, restarts,
          Optional.of(failures.computeIfAbsent(dir, d -> exitReason(d, s))));
      case Running -> {
        long pid = s.pid();
        BooleanSupplier running = () -> supervised.state(dir).phase() == SupervisedReplicas.Phase.Running;
        boolean ready = Integer.valueOf(s.attempt()).equals(record.fromStandby())
            ? probes.loaded(pid, record.restPort(), keyOf(dir).service(), Path.of(record.modelDir()), standbys.token(), running,
                reason -> refused(dir, reason))
            : probes.ready(pid, record.restPort(), running);
        if (ready) {
          loading.remove(dir);
          failures.remove(dir);
          yield new ReplicaState(index, endpoint, ReplicaState.Phase.Ready, pid, restarts, Optional.empty());
        }
        yield new ReplicaState(index, endpoint, ReplicaState.Phase.Starting, pid, restarts, Optional.ofNullable(failures.get(dir)));
      }
    };
  }

  /**
   * A standby taken as this replica refused its model: the revision reports it and takes no more
   * standbys, and the process is stopped, never to serve another model.
   */
  private void refused(Path dir, String reason) {
    RevisionKey key = keyOf(dir);
    System.err.println("capstan: InferenceService " + key.namespace() + "/" + key.service() + " revision " + key.revision()
        + ": a standby could not load its model: " + reason);
    loadRefusals.put(key, "replica " + index(dir) + " could not load the model: " + reason);
    loading.remove(dir);
    stop(key, index(dir));
  }

  /**
   * The kubelet's part: restarts replicas that exited (after their back-off), forgets replicas
   * whose stop finished (their directory and ports), and sweeps up after exits.
   */
  public synchronized void tend(Instant now) {
    supervised.settle();
    for (Path dir : replicaDirs(runtime, 4)) {
      Optional<ReplicaRecord> record = readRecord(dir);
      SupervisedReplicas.State s = supervisedState(dir, record);
      if (s.phase() == SupervisedReplicas.Phase.Absent) {
        record.ifPresent(r -> {
          ports.release(r.restPort());
          ports.release(r.grpcPort());
          r.dropStandbyMailbox();
        });
        restartAfter.remove(dir);
        failures.remove(dir);
        ModelCopies.deleteTree(dir);
        continue;
      }
      if (s.phase() == SupervisedReplicas.Phase.Exited && record.isPresent()) {
        failures.computeIfAbsent(dir, d -> exitReason(d, s));
        Instant due = restartAfter.computeIfAbsent(dir, d -> now.plus(backoff(s.attempt())));
        if (!now.isBefore(due)) {
          restartAfter.remove(dir);
          supervised.run(dir, s.attempt() + 1, command(keyOf(dir), index(dir), Path.of(record.get().modelDir()), record.get()),
              STOP_GRACE);
        }
      }
    }
  }

  /**
   * The replica's state in the process layer; the exit of a process that began as a standby is read
   * once its code is brought over from the standby's mailbox (it is there as soon as the process has
   * exited).
   */
  private SupervisedReplicas.State supervisedState(Path dir, Optional<ReplicaRecord> record) {
    SupervisedReplicas.State s = supervised.state(dir);
    if (s.phase() == SupervisedReplicas.Phase.Exited && record.isPresent() && record.get().collectStandbyExit(dir)) {
      return supervised.state(dir);
    }
    return s;
  }

  /** What the replicas and standbys running or being started hold of the host, together. */
  public ResourceAmounts inUse() {
    ResourceAmounts total = standbys.inUse();
    for (Path dir : replicaDirs(runtime, 4)) {
      Optional<ReplicaRecord> record = readRecord(dir);
      if (record.isPresent() && supervised.state(dir).phase() != SupervisedReplicas.Phase.Absent) {
        total = total.plus(record.get().demand());
      }
    }
    return total;
  }

  /** Whether anything of the revision is left (a replica running or being stopped). */
  public boolean anyLeft(RevisionKey key) {
    return !replicaDirs(revisionDir(key), 1).isEmpty();
  }

  /** Removes what is left of a revision once none of its replicas remains. */
  public void forgetRevision(RevisionKey key) {
    if (!anyLeft(key)) {
      loadRefusals.remove(key);
      ModelCopies.deleteTree(revisionDir(key));
      ModelCopies.deleteTree(logs.resolve(key.namespace()).resolve(key.service()).resolve(key.revision()));
    }
  }

  public Path logFile(RevisionKey key, int index) {
    return logs.resolve(key.namespace()).resolve(key.service()).resolve(key.revision()).resolve(index + ".log");
  }

  @Override
  public void close() {
    supervised.close();
    standbys.close();
  }

  private dev.capstan.local.process.LaunchCommand command(RevisionKey key, int index, Path modelDir, ReplicaRecord record) {
    Path log = logFile(key, index);
    try {
      OwnerOnly.directories(log.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + log.getParent(), e);
    }
    return launch.replica(key, modelDir, record.restPort(), record.grpcPort(), log);
  }

  private String exitReason(Path dir, SupervisedReplicas.State s) {
    int code = s.exitCode().orElse(-1);
    String how = code > 128 ? "was killed by signal " + (code - 128) : code < 0 ? "ended (exit unknown)" : "exited with code " + code;
    RevisionKey key = keyOf(dir);
    return "replica " + index(dir) + " " + how + LastLogLine.of(logFile(key, index(dir))).map(l -> ": " + l).orElse("");
  }

  static Duration backoff(int attempt) {
    Duration d = Duration.ofSeconds(1).multipliedBy(1L << Math.min(Math.max(attempt, 0), 5));
    return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
  }

  private Path revisionDir(RevisionKey key) {
    return runtime.resolve(key.namespace()).resolve(key.service()).resolve(key.revision());
  }

  private Path replicaDir(RevisionKey key, int index) {
    return revisionDir(key).resolve(Integer.toString(index));
  }

  private RevisionKey keyOf(Path replicaDir) {
    Path rel = runtime.relativize(replicaDir);
    return new RevisionKey(rel.getName(0).toString(), rel.getName(1).toString(), rel.getName(2).toString());
  }

  private static int index(Path dir) {
    try {
      return Integer.parseInt(dir.getFileName().toString());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static List<Path> replicaDirs(Path under, int depth) {
    if (!Files.isDirectory(under)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(under, depth)) {
      return walk.filter(d -> Files.exists(d.resolve(RECORD))).sorted(Comparator.comparing(Path::toString)).toList();
    } catch (IOException | UncheckedIOException e) {
      return List.of();
    }
  }

  private static Optional<ReplicaRecord> readRecord(Path dir) {
    Path file = dir.resolve(RECORD);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Manifests.json().readValue(file.toFile(), ReplicaRecord.class));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static void write(Path dir, ReplicaRecord record) {
    try {
      OwnerOnly.directories(dir);
      DurableFiles.write(dir.resolve(RECORD), Manifests.json().writeValueAsBytes(record));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record the replica in " + dir, e);
    }
  }
}
