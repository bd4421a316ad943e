package dev.capstan.local.process;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * One lane of work per replica, off the control loop: work for the same replica runs in the
 * order it was asked for, one piece at a time; different replicas proceed independently, so a
 * replica waiting out its grace period holds up no other. A piece asked for while an earlier one
 * for the same replica still waits to begin is dropped: the waiting one reads the latest intent.
 */
final class ReplicaLanes {
  private final ExecutorService executor = Executors.newThreadPerTaskExecutor(
      Thread.ofVirtual().name("capstan-replica-", 0).factory());
  private final Map<Path, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();
  private final Set<Path> waiting = ConcurrentHashMap.newKeySet();
  private final Consumer<Path> work;

  ReplicaLanes(Consumer<Path> work) {
    this.work = work;
  }

  /** Asks for the replica's work to run once more, after whatever its lane is doing now. */
  void submit(Path replica) {
    if (!waiting.add(replica)) {
      return;
    }
    CompletableFuture<Void> next = tails.compute(replica, (key, tail) ->
        (tail == null ? CompletableFuture.<Void>completedFuture(null) : tail).thenRunAsync(() -> run(key), executor));
    next.whenComplete((ignored, error) -> tails.remove(replica, next));
  }

  private void run(Path replica) {
    waiting.remove(replica);
    try {
      work.accept(replica);
    } catch (RuntimeException e) {
      System.err.println("replica " + replica + ": " + e.getMessage() + " (retried on the next pass)");
    }
  }
}
