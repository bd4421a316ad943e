package dev.capstan.train.collective;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The two TCP connections of one rank in the ring (to the next rank, from the previous one), with
 * progress clocks the {@link StallWatchdog} reads and an abort that unblocks any reader or writer.
 */
final class RingLinks implements AutoCloseable {
  private final int rank;
  private final int worldSize;
  private final SocketChannel toNext;
  private final SocketChannel fromPrev;
  private volatile long lastSendNanos = System.nanoTime();
  private volatile long lastReceiveNanos = System.nanoTime();
  private volatile boolean writing;
  private volatile String abortReason;

  RingLinks(int rank, int worldSize, SocketChannel toNext, SocketChannel fromPrev) {
    this.rank = rank;
    this.worldSize = worldSize;
    this.toNext = toNext;
    this.fromPrev = fromPrev;
  }

  int next() {
    return (rank + 1) % worldSize;
  }

  int prev() {
    return (rank + worldSize - 1) % worldSize;
  }

  void writeFully(ByteBuffer src) {
    lastSendNanos = System.nanoTime();
    writing = true;
    try {
      while (src.hasRemaining()) {
        if (toNext.write(src) > 0) {
          lastSendNanos = System.nanoTime();
        }
      }
    } catch (IOException e) {
      throw failure("lost the connection to rank " + next() + " (" + e.getMessage() + ")", e);
    } finally {
      writing = false;
    }
  }

  /** True while a write is in progress: only then can the next rank be blamed for not reading. */
  boolean writing() {
    return writing;
  }

  void readFully(ByteBuffer dst) {
    try {
      while (dst.hasRemaining()) {
        int n = fromPrev.read(dst);
        if (n < 0) {
          throw failure("rank " + prev() + " closed its connection (the process exited or was killed)", null);
        }
        if (n > 0) {
          lastReceiveNanos = System.nanoTime();
        }
      }
    } catch (IOException e) {
      throw failure("lost the connection to rank " + prev() + " (" + e.getMessage() + ")", e);
    }
  }

  /** Marks both directions as making progress now (called when an operation starts). */
  void resetClocks() {
    long now = System.nanoTime();
    lastSendNanos = now;
    lastReceiveNanos = now;
  }

  long lastSendNanos() {
    return lastSendNanos;
  }

  long lastReceiveNanos() {
    return lastReceiveNanos;
  }

  /** Closes both connections so that blocked calls fail with {@code reason}; the first reason wins. */
  void abort(String reason) {
    synchronized (this) {
      if (abortReason == null) {
        abortReason = reason;
      }
    }
    close();
  }

  private CollectiveException failure(String message, Throwable cause) {
    String reason = abortReason;
    String text = "rank " + rank + ": " + (reason != null ? reason : message);
    abort(text);
    return new CollectiveException(text, cause);
  }

  @Override
  public void close() {
    try {
      toNext.close();
    } catch (IOException ignored) {
      // closing is best effort
    }
    try {
      fromPrev.close();
    } catch (IOException ignored) {
      // closing is best effort
    }
  }
}
