package dev.capstan.local.serving;

import dev.capstan.api.codec.Manifests;
import dev.capstan.core.queue.ResourceAmounts;
import dev.capstan.local.OwnerOnly;
import dev.capstan.local.process.PortAllocator;
import dev.capstan.local.process.SupervisedReplicas;
import dev.capstan.local.store.DurableFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * A small pool of {@code capstan serve} processes started ahead of need, holding no model: warm
 * standbys that a revision at zero takes as its replica (a load call instead of a JVM start). Each
 * standby is a replica of the durable process layer ({@link SupervisedReplicas} over
 * {@code serving/standby/{slot}}, its ports in {@code standby.json} written before it starts), so
 * a new server adopts the standbys that run and ends what a crash left half-started. A slot name
 * is never reused: a taken standby's directory is moved, whole, into its revision's replicas
 * ({@link #handOver}, which marks the take so that only a taken standby outlives its server).
 * Each standby holds {@link #DEMAND} of the host while it waits, counted like a replica's
 * resources; a standby that exits is not restarted but replaced. Once it listens, a standby is
 * warmed by loading and unloading a model copy already on disk ({@link #warm}). The repository token the
 * standbys share is kept owner-only in {@code serving/standby.token}.
 */
final class StandbyReplicas implements AutoCloseable {
  /** What one waiting standby holds of the host: a JVM with no model, about 0.1 CPU and 256 MiB. */
  static final ResourceAmounts DEMAND = new ResourceAmounts(100, 256L << 20, 0);
  /** The most standbys a server keeps. */
  static final int MAX = 4;
  private static final String RECORD = "standby.json";
  private static final Duration STOP_GRACE = Duration.ofSeconds(5);
  private static final SecureRandom RANDOM = new SecureRandom();
  /** The name a standby's warm-up load uses: capitals and '_' are never in a service's name. */
  static final String WARM_UP = "Capstan_Warmup";

  /** A standby's ports, written before it starts. */
  record StandbyRecord(int restPort, int grpcPort) {}

  private final Path root;
  private final Path logs;
  private final Path tokenFile;
  private final Path modelRoot;
  private final ServeLaunch launch;
  private final PortAllocator ports;
  private final int size;
  private final SupervisedReplicas supervised;
  /** Standby processes (slot and PID) whose warm-up was started. */
  private final Set<String> warming = ConcurrentHashMap.newKeySet();

  /**
   * @param root where standby slots are kept (on the same file system as the replicas' directories)
   * @param size how many standbys to keep, 0 for none, at most {@link #MAX}
   * @param modelRoot the directory every revision's model copy lies under
   */
  StandbyReplicas(Path root, Path logs, ServeLaunch launch, PortAllocator ports, int size, Path modelRoot) {
    if (size < 0 || size > MAX) {
      throw new IllegalArgumentException("the number of serving standbys must be between 0 and " + MAX + ", not " + size);
    }
    this.root = root;
    this.logs = logs;
    this.tokenFile = root.resolveSibling(root.getFileName() + ".token");
    this.modelRoot = modelRoot;
    this.launch = launch;
    this.ports = ports;
    this.size = size;
    for (Path slot : slots()) {
      readRecord(slot).ifPresent(r -> {
        ports.reserve(r.restPort());
        ports.reserve(r.grpcPort());
      });
    }
    this.supervised = new SupervisedReplicas(root);
  }

  /** The token a standby's repository extension asks for. */
  String token() {
    try {
      return Files.readString(tokenFile, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + tokenFile, e);
    }
  }

  /**
   * Ends standbys beyond the pool's size and those that exited, forgets those whose stop finished,
   * and starts one more when the pool is short and {@link #DEMAND} fits in {@code left}.
   */
  synchronized void tend(ResourceAmounts left) {
    supervised.settle();
    int waiting = 0;
    for (Path slot : slots()) {
      SupervisedReplicas.Phase phase = supervised.state(slot).phase();
      switch (phase) {
        case Absent -> forget(slot);
        case Exited -> supervised.stop(slot, STOP_GRACE);
        case Starting, Running -> {
          if (waiting < size) {
            waiting++;
          } else {
            supervised.stop(slot, STOP_GRACE);
          }
        }
        case Stopping -> { }
      }
    }
    if (waiting < size && DEMAND.fitsIn(left)) {
      start();
    }
    for (Path slot : slots()) {
      SupervisedReplicas.State state = supervised.state(slot);
      if (state.phase() == SupervisedReplicas.Phase.Running && warming.add(slot.getFileName() + ":" + state.pid())) {
        readRecord(slot).ifPresent(r -> Thread.ofVirtual().name("capstan-warm-" + slot.getFileName())
            .start(() -> warm(r.restPort(), () -> supervised.state(slot).phase() == SupervisedReplicas.Phase.Running)));
      }
    }
  }

  /**
   * Warms a standby once it listens: loads one model copy already on disk under a name no service
   * can have, then unloads it, so the engine's native library, its classes and the load path are
   * ready before a revision needs them (the first load in a fresh process costs seconds, a later
   * one tens of milliseconds). With no model copy on disk the standby waits cold.
   */
  private void warm(int port, BooleanSupplier running) {
    try {
      while (running.getAsBoolean() && !ReadinessProbes.answersReady(port)) {
        Thread.sleep(100);
      }
      Optional<Path> copy = anyModelCopy();
      long started = System.nanoTime();
      if (running.getAsBoolean() && copy.isPresent() && ModelLoadCall.load(port, WARM_UP, copy.get(), token()).isEmpty()) {
        ModelLoadCall.unload(port, WARM_UP, token());
        System.err.println(java.time.Instant.now() + " serving standby on port " + port + " warmed in "
            + (System.nanoTime() - started) / 1_000_000 + " ms");
      }
    } catch (IOException | UncheckedIOException e) {
      // a standby that cannot be warmed still serves; its first load is slower
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The newest complete model copy under the model root ({@code ns/service/revision}), if any. */
  private Optional<Path> anyModelCopy() {
    if (!Files.isDirectory(modelRoot)) {
      return Optional.empty();
    }
    try (Stream<Path> walk = Files.walk(modelRoot, 3)) {
      return walk.filter(p -> modelRoot.relativize(p).getNameCount() == 3 && !p.getFileName().toString().startsWith(".")
              && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
          .max(Comparator.comparing(p -> p.toFile().lastModified()));
    } catch (IOException | UncheckedIOException e) {
      return Optional.empty();
    }
  }

  /**
   * Hands the oldest running standby over to become a replica: {@code prepare} writes what the
   * replica needs into the standby's directory, which {@link #handOver} then moves to
   * {@code target}, and its log is moved to {@code targetLog}. Returns the standby's ports; empty
   * when no standby runs yet.
   */
  synchronized Optional<StandbyRecord> takeInto(Path target, Path targetLog, BiConsumer<Path, StandbyRecord> prepare) {
    for (Path slot : slots()) {
      Optional<StandbyRecord> record = readRecord(slot);
      if (record.isEmpty() || supervised.state(slot).phase() != SupervisedReplicas.Phase.Running) {
        continue;
      }
      prepare.accept(slot, record.get());
      try {
        handOver(slot, target);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot hand the standby " + slot + " over to " + target, e);
      }
      try {
        OwnerOnly.directories(targetLog.getParent());
        Files.move(logFile(slot), targetLog, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        // the process keeps writing where it was started; only the replica's log path misses it
      }
      return record;
    }
    return Optional.empty();
  }

  /**
   * Makes the standby in {@code slot} the replica in {@code target}, in this order, each step a
   * point where the server may be killed:
   *
   * <ol>
   *   <li>the slot's take marker ({@link #takenMarker}) is written. Killed here or before, the
   *       standby's record is still in its slot, so its watch ({@link ServeLaunch}) still ends it
   *       with the server: nothing was acknowledged and nothing leaks;
   *   <li>the slot's directory is moved, whole and at once, to {@code target}: from here it is a
   *       replica, adopted by the next server, and its watch, seeing the marker and the record
   *       gone, lets it run on. A crash leaves it either a standby or a replica, never both;
   *   <li>the slot's path is made again as an empty directory, the process's mailbox: its wrapper
   *       writes the exit code where it was started, and the replica collects it from there
   *       ({@link #collectExit}). Without it the exit reads as unknown.
   * </ol>
   *
   * A move that fails takes the marker back, leaving the standby as it was. The marker is removed
   * only once the process has ended ({@link #removeSlot}). It needs no sync: a crash of the machine,
   * which could lose it, ends the standby too.
   */
  static void handOver(Path slot, Path target) throws IOException {
    Path taken = OwnerOnly.file(takenMarker(slot));
    try {
      OwnerOnly.directories(target.getParent());
      Files.move(slot, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      try {
        Files.deleteIfExists(taken);
      } catch (IOException left) {
        e.addSuppressed(left); // the standby's record is still there: its watch still holds it
      }
      throw e;
    }
    try {
      OwnerOnly.directories(slot);
    } catch (IOException e) {
      // without its mailbox the process's exit code is lost: the replica reports its exit as unknown
    }
  }

  /**
   * The file whose presence, with the standby's record gone from {@code slot}, tells the standby's
   * watch that it was taken as a replica: beside the slot, so that it is not moved or removed with
   * it; deleting the slot or the whole home before a take never lets a standby go.
   */
  static Path takenMarker(Path slot) {
    return slot.resolveSibling(slot.getFileName() + ".taken");
  }

  /**
   * Removes a standby's slot, or a taken one's mailbox, with its take marker (there too after a
   * take that did not finish), once its process has ended.
   */
  static void removeSlot(Path slot) {
    ModelCopies.deleteTree(slot);
    try {
      Files.deleteIfExists(takenMarker(slot));
    } catch (IOException e) {
      // an empty file left beside the slots; no watch reads it once its process has ended
    }
  }

  /**
   * Moves the exit code that a former standby's process wrote into its {@code mailbox} (the slot's
   * old path) into the {@code replica}'s directory, where the process layer reads it, and removes
   * the mailbox once the code is collected. Returns whether a code was moved; none is there while
   * the process runs.
   */
  static boolean collectExit(Path mailbox, Path replica) {
    if (!Files.isDirectory(mailbox, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try (Stream<Path> list = Files.list(mailbox)) {
      List<Path> exits = list.filter(p -> p.getFileName().toString().startsWith("exit-")
          && !p.getFileName().toString().endsWith(".tmp")).toList();
      for (Path exit : exits) {
        Files.move(exit, replica.resolve(exit.getFileName()), StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      }
      if (!exits.isEmpty()) {
        removeSlot(mailbox);
      }
      return !exits.isEmpty();
    } catch (IOException | UncheckedIOException e) {
      return false; // tried again on the next look; the exit reads as unknown meanwhile
    }
  }

  /** What the standbys running or being started hold of the host. */
  ResourceAmounts inUse() {
    return DEMAND.times((int) slots().stream()
        .filter(s -> supervised.state(s).phase() != SupervisedReplicas.Phase.Absent).count());
  }

  /** The server processes of the standbys running now (the wrapper's PIDs). */
  List<Long> pids() {
    return slots().stream().map(supervised::state).filter(s -> s.phase() == SupervisedReplicas.Phase.Running)
        .map(SupervisedReplicas.State::pid).toList();
  }

  /** Stops every standby (SIGTERM, SIGKILL after a few seconds): a server that ends on purpose leaves none. */
  synchronized void endAll() {
    slots().forEach(slot -> supervised.stop(slot, STOP_GRACE));
  }

  @Override
  public void close() {
    supervised.close();
  }

  private void start() {
    try {
      OwnerOnly.directories(root);
      if (!Files.exists(tokenFile)) {
        Path fresh = OwnerOnly.file(tokenFile.resolveSibling(tokenFile.getFileName() + ".new"));
        Files.writeString(fresh, HexFormat.of().formatHex(bytes(32)), StandardCharsets.UTF_8);
        Files.move(fresh, tokenFile, StandardCopyOption.ATOMIC_MOVE);
      }
      String name = "standby-" + System.currentTimeMillis() + "-" + HexFormat.of().formatHex(bytes(4));
      Path slot = root.resolve(name);
      StandbyRecord record = new StandbyRecord(ports.allocate(), ports.allocate());
      OwnerOnly.directories(slot);
      DurableFiles.write(slot.resolve(RECORD), Manifests.json().writeValueAsBytes(record));
      Path log = logFile(slot);
      OwnerOnly.directories(log.getParent());
      supervised.run(slot, 0, launch.standby(name, slot.resolve(RECORD), takenMarker(slot), tokenFile, modelRoot, record.restPort(), record.grpcPort(), log), STOP_GRACE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a serving standby under " + root, e);
    }
  }

  private void forget(Path slot) {
    readRecord(slot).ifPresent(r -> {
      ports.release(r.restPort());
      ports.release(r.grpcPort());
    });
    removeSlot(slot);
    try {
      Files.deleteIfExists(logFile(slot));
    } catch (IOException e) {
      // a leftover log of an ended standby is harmless
    }
  }

  private Path logFile(Path slot) {
    return logs.resolve(slot.getFileName() + ".log");
  }

  /** Every standby slot, oldest first (slot names begin with their start time). */
  private List<Path> slots() {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(root)) {
      return list.filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && Files.exists(p.resolve(RECORD))).sorted().toList();
    } catch (IOException | UncheckedIOException e) {
      return List.of();
    }
  }

  private static Optional<StandbyRecord> readRecord(Path slot) {
    try {
      return Optional.of(Manifests.json().readValue(slot.resolve(RECORD).toFile(), StandbyRecord.class));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static byte[] bytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }
}
