package dev.capstan.local.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One lane of work per replica, off the control loop: work for the same replica runs in the
 * order it was asked for, one piece at a time; different replicas proceed independently, so a
 * replica waiting out its grace period holds up no other. A piece asked for while an earlier one
 * for the same replica still waits to begin is dropped: the waiting one reads the latest intent.
 * Closing takes no new work and lets what runs finish for a while; what it cuts short stays in
 * the replicas' durable intents for the next server.
 */
final class ReplicaLanes implements AutoCloseable {
  private final ExecutorService executor = Executors.newThreadPerTaskExecutor(
      Thread.ofVirtual().name("capstan-replica-", 0).factory());
  private final Map<Path, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();
  private final Set<Path> waiting = ConcurrentHashMap.newKeySet();
  private final Consumer<Path> work;
  private volatile boolean closed;

  ReplicaLanes(Consumer<Path> work) {
    this.work = work;
  }

  /** Asks for the replica's work to run once more, after whatever its lane is doing now. */
  void submit(Path replica) {
    if (closed || !waiting.add(replica)) {
      return;
    }
    CompletableFuture<Void> next = tails.compute(replica, (key, tail) ->
        (tail == null ? CompletableFuture.<Void>completedFuture(null) : tail).thenRunAsync(() -> run(key), executor));
    next.whenComplete((ignored, error) -> tails.remove(replica, next));
  }

  /** Waits up to {@code patience} for the work in hand, then interrupts what is left. */
  void close(Duration patience) {
    closed = true;
    executor.shutdown();
    try {
      if (!executor.awaitTermination(patience.toMillis(), TimeUnit.MILLISECONDS)) {
        executor.shutdownNow();
        executor.awaitTermination(patience.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    close(Duration.ofSeconds(5));
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
