package dev.capstan.train.collective;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The sending half of a rank: a thread that writes queued buffers to the next rank in order, so that
 * sending and receiving run at the same time (the ring would deadlock otherwise once buffers fill).
 */
final class RingSender implements AutoCloseable {
  private record Item(ByteBuffer data, CompletableFuture<Void> done) {}

  private static final Item STOP = new Item(null, null);

  private final RingLinks links;
  private final LinkedBlockingQueue<Item> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile RuntimeException failure;

  RingSender(RingLinks links, int rank) {
    this.links = links;
    this.thread = Thread.ofPlatform().daemon().name("capstan-sender-" + rank).unstarted(this::run);
    thread.start();
  }

  /** Queues {@code data} (from its position to its limit) to be sent; the caller must not modify it until flushed. */
  void send(ByteBuffer data) {
    queue.add(new Item(data, null));
  }

  /** Waits until everything queued so far has been written; throws what the writer hit. */
  void flush() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    queue.add(new Item(null, done));
    try {
      done.join();
    } catch (java.util.concurrent.CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  private void run() {
    while (true) {
      Item item;
      try {
        item = queue.take();
      } catch (InterruptedException e) {
        return;
      }
      if (item == STOP) {
        return;
      }
      if (item.done() != null) {
        if (failure != null) {
          item.done().completeExceptionally(failure);
        } else {
          item.done().complete(null);
        }
        continue;
      }
      if (failure == null) {
        try {
          links.writeFully(item.data());
        } catch (RuntimeException e) {
          failure = e;
        }
      }
    }
  }

  @Override
  public void close() {
    queue.add(STOP);
  }
}
