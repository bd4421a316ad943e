package dev.capstan.local.process;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Brings one replica's processes to what its intent asks, in steps that a {@code kill -9} at any
 * point leaves safe to repeat: first end every stale incarnation (SIGTERM, SIGKILL at the
 * intent's deadline), then either forget the replica (a stop) or launch the current incarnation
 * and record it. An incarnation that a previous server wrote but never recorded may have been
 * launched: it is withdrawn, its marked processes ended, and a fresh one launched instead, so no
 * replica ever runs twice. Waiting happens outside the replica's lock, which intents are written
 * under; launching is short and happens under it.
 */
final class ReplicaConvergence {
  private final ReplicaProcesses processes;
  private final ReplicaCgroups cgroups;
  private final Map<Path, Object> locks = new ConcurrentHashMap<>();
  /** Incarnations this server wrote and has not launched yet: safe to launch without a search. */
  private final Set<String> unlaunched = ConcurrentHashMap.newKeySet();
  /** Exited incarnations whose leftover processes were already ended. */
  private final Set<String> swept = ConcurrentHashMap.newKeySet();

  ReplicaConvergence(ReplicaProcesses processes, ReplicaCgroups cgroups) {
    this.processes = processes;
    this.cgroups = cgroups;
  }

  /** The lock that intents of this replica are read and written under. */
  Object lock(Path replica) {
    return locks.computeIfAbsent(replica, k -> new Object());
  }

  /** A new incarnation, to be launched by this server. */
  Incarnation nextIncarnation() {
    Incarnation next = Incarnation.next(cgroups);
    unlaunched.add(next.uid());
    return next;
  }

  /** Whether the replica has work left: something to end, to launch or to forget. */
  boolean unsettled(Path replica) {
    Optional<ReplicaIntent> intent = ReplicaIntent.read(replica);
    if (intent.isEmpty()) {
      return false;
    }
    if (intent.get().stopping() || !intent.get().stale().isEmpty()) {
      return true;
    }
    Optional<ReplicaProcesses.Status> status = processes.inspect(replica);
    return status.isEmpty() || !status.get().record().isOf(intent.get().current())
        || (!status.get().alive() && !swept.contains(intent.get().current().uid()));
  }

  void converge(Path replica) {
    while (true) {
      ReplicaIntent intent;
      Optional<ProcessRecord> record;
      List<Incarnation> ending;
      synchronized (lock(replica)) {
        Optional<ReplicaIntent> read = ReplicaIntent.read(replica);
        if (read.isEmpty()) {
          return;
        }
        intent = read.get();
        record = processes.record(replica).filter(r -> !r.isOf(intent.current()));
        ending = intent.stale();
        if (ending.isEmpty() && record.isEmpty()) {
          if (intent.stopping()) {
            processes.forget(replica);
            ReplicaIntent.delete(replica);
            return;
          }
          if (launchOrRelaunch(replica, intent)) {
            return;
          }
          continue;
        }
        ending.forEach(i -> processes.withdraw(replica, i));
      }
      ReplicaProcesses.tree(record, ending).stop(intent.killAt());
      synchronized (lock(replica)) {
        if (record.isPresent() && processes.record(replica).filter(r -> r.isOf(record.get().incarnation())
            || r.pid() == record.get().pid()).isPresent()) {
          processes.forget(replica);
        }
        ReplicaIntent.read(replica).ifPresent(now -> now.withoutStale(ending).write(replica));
      }
    }
  }

  /** Ends what an exited incarnation left behind (a pod's processes end with its main one). */
  void sweepIfExited(Path replica) {
    Optional<ReplicaIntent> intent = ReplicaIntent.read(replica);
    Optional<ReplicaProcesses.Status> status = processes.inspect(replica);
    if (intent.isEmpty() || intent.get().stopping() || status.isEmpty() || status.get().alive()
        || !status.get().record().isOf(intent.get().current()) || swept.contains(intent.get().current().uid())) {
      return;
    }
    ReplicaProcesses.tree(Optional.empty(), List.of(intent.get().current())).kill();
    swept.add(intent.get().current().uid());
  }

  /**
   * Launches the current incarnation if this server wrote it; otherwise adopts its exit if it ran
   * to the end, or replaces it by a fresh one. Returns false when there is more to do.
   */
  private boolean launchOrRelaunch(Path replica, ReplicaIntent intent) {
    Incarnation current = intent.current();
    if (processes.record(replica).filter(r -> r.isOf(current)).isPresent()) {
      return true;
    }
    if (unlaunched.remove(current.uid())) {
      processes.start(replica, intent.attempt(), intent.gpus(), current, intent.command());
      return true;
    }
    if (processes.finished(replica, current)) {
      processes.recordFinished(replica, intent.attempt(), intent.gpus(), current);
      return true;
    }
    ReplicaIntent relaunched = intent.relaunch(nextIncarnation());
    relaunched.write(replica);
    return false;
  }
}
