package dev.capstan.local.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Stream;

/**
 * Long-running replica processes under one directory, with the same durability as training
 * replicas: each replica directory holds a durable {@link ReplicaIntent} written before anything
 * is started or stopped, its work runs in its own lane off the caller's thread, and a new
 * instance over the same root resumes every unfinished intent, re-adopting what runs (by PID and
 * start time) and ending what a crash left half-started. So a {@code kill -9} of the server never
 * leaves two copies of a replica or an orphan. Stops send SIGTERM to the replica's whole tree and
 * SIGKILL after the grace.
 */
public final class SupervisedReplicas implements AutoCloseable {
  /** Replica directories lie this deep under the root (namespace/service/revision/replica). */
  private static final int DEPTH = 4;

  private final Path root;
  private final ReplicaProcesses processes;
  private final ReplicaConvergence convergence;
  private final ReplicaLanes lanes;

  /** What one replica is doing now. */
  public enum Phase {
    /** Asked to run; its process is not recorded yet. */
    Starting,
    /** Its process runs. */
    Running,
    /** Its process ended, with {@link State#exitCode()}. */
    Exited,
    /** Asked to stop; some of it may still run. */
    Stopping,
    /** Nothing is known of it. */
    Absent
  }

  /** A replica's phase, attempt (restarts so far), PID while running and exit code once exited. */
  public record State(Phase phase, int attempt, long pid, OptionalInt exitCode) {
    static final State ABSENT = new State(Phase.Absent, -1, 0, OptionalInt.empty());
  }

  public SupervisedReplicas(Path root) {
    this(root, ReplicaCgroups.detect(), ReplicaPidNamespaces.detect());
  }

  SupervisedReplicas(Path root, ReplicaCgroups cgroups, ReplicaPidNamespaces namespaces) {
    this.root = root;
    this.processes = new ReplicaProcesses(namespaces);
    this.convergence = new ReplicaConvergence(processes, cgroups);
    this.lanes = new ReplicaLanes(replica -> {
      convergence.converge(replica);
      convergence.sweepIfExited(replica);
    });
    replicaDirs().forEach(lanes::submit);
  }

  /**
   * Runs the replica as attempt {@code attempt} unless that attempt (or a later one) is already
   * asked for; a newer attempt replaces the process of an older one.
   */
  public void run(Path replica, int attempt, LaunchCommand command, Duration grace) {
    synchronized (convergence.lock(replica)) {
      Optional<ReplicaIntent> current = ReplicaIntent.read(replica);
      int known = current.filter(i -> !i.stopping()).map(ReplicaIntent::attempt)
          .or(() -> current.isEmpty() ? processes.record(replica).map(ProcessRecord::attempt) : Optional.empty())
          .orElse(-1);
      if (known >= attempt) {
        return;
      }
      List<Incarnation> stale = current.map(ReplicaIntent::everyIncarnation).orElse(List.of());
      ReplicaIntent.run(attempt, convergence.nextIncarnation(), stale, List.of(), Instant.now().plus(grace), command)
          .write(replica);
    }
    lanes.submit(replica);
  }

  /** Stops the replica (SIGTERM, SIGKILL after {@code grace}) and forgets it once nothing of it runs. */
  public void stop(Path replica, Duration grace) {
    synchronized (convergence.lock(replica)) {
      Optional<ReplicaIntent> current = ReplicaIntent.read(replica);
      if (current.filter(ReplicaIntent::stopping).isPresent()) {
        return;
      }
      Instant killAt = Instant.now().plus(grace);
      if (current.isPresent()) {
        current.get().stop(killAt).write(replica);
      } else if (processes.record(replica).isPresent()) {
        ProcessRecord r = processes.record(replica).get();
        new ReplicaIntent(ReplicaIntent.Kind.Stop, r.attempt(), null, List.of(), List.of(), killAt.toEpochMilli(), null)
            .write(replica);
      } else {
        return;
      }
    }
    lanes.submit(replica);
  }

  public State state(Path replica) {
    Optional<ReplicaIntent> intent = ReplicaIntent.read(replica);
    Optional<ReplicaProcesses.Status> status = processes.inspect(replica);
    if (intent.isPresent() && intent.get().stopping()) {
      return new State(Phase.Stopping, intent.get().attempt(), 0, OptionalInt.empty());
    }
    if (intent.isPresent() && status.filter(s -> s.record().isOf(intent.get().current())).isEmpty()) {
      return new State(Phase.Starting, intent.get().attempt(), 0, OptionalInt.empty());
    }
    return status.map(s -> s.alive()
        ? new State(Phase.Running, s.record().attempt(), s.record().pid(), OptionalInt.empty())
        : new State(Phase.Exited, s.record().attempt(), 0, s.exitCode().isPresent() ? s.exitCode() : OptionalInt.of(-1)))
        .orElse(State.ABSENT);
  }

  /** Hands every replica with work left (an exit to sweep up after, a stop in flight) to its lane. */
  public void settle() {
    replicaDirs().stream().filter(convergence::unsettled).forEach(lanes::submit);
  }

  /** Every replica directory under the root that holds an intent or a process record. */
  public List<Path> replicaDirs() {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> walk = Files.walk(root, DEPTH)) {
      return walk.filter(Files::isDirectory)
          .filter(d -> Files.exists(d.resolve(ReplicaIntent.FILE)) || processes.record(d).isPresent()).sorted().toList();
    } catch (IOException | java.io.UncheckedIOException e) {
      return List.of();
    }
  }

  /** Lets starts and stops in hand finish for a few seconds; replicas run on for the next server. */
  @Override
  public void close() {
    lanes.close();
  }
}
