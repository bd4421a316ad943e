package dev.capstan.train.collective;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

/**
 * The two links of one rank in the ring (to the next rank, from the previous one), each a TCP
 * connection or, between ranks on one host, a shared memory ring ({@link LinkHandshake}), with
 * progress clocks the {@link StallWatchdog} reads and an abort that unblocks any reader or writer.
 */
final class RingLinks implements AutoCloseable {
  private final int rank;
  private final int worldSize;
  private final WritableByteChannel toNext;
  private final ReadableByteChannel fromPrev;
  private volatile long lastSendNanos = System.nanoTime();
  private volatile long lastReceiveNanos = System.nanoTime();
  private volatile boolean writing;
  private volatile String abortReason;

  RingLinks(int rank, int worldSize, WritableByteChannel toNext, ReadableByteChannel fromPrev) {
    this.rank = rank;
    this.worldSize = worldSize;
    this.toNext = toNext;
    this.fromPrev = fromPrev;
  }

  /** Which transport each link took. */
  String describe() {
    return "to rank " + next() + " over " + (toNext instanceof SharedRingOutput ? "shared memory" : "TCP")
        + ", from rank " + prev() + " over " + (fromPrev instanceof SharedRingInput ? "shared memory" : "TCP");
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

  /** True when both links are shared memory rings, so both neighbours share this host's memory. */
  boolean sharedMemory() {
    return toNext instanceof SharedRingOutput && fromPrev instanceof SharedRingInput;
  }

  /**
   * For waits outside the links (the host all-reduce): why the ring cannot go on (it was aborted,
   * or a neighbour on a shared memory link has gone), or null while it can.
   */
  String lostPeer() {
    if (abortReason != null) {
      return "the ring was aborted";
    }
    try {
      if (toNext instanceof SharedRingOutput out && !out.peerAlive()) {
        return "lost the connection to rank " + next() + " (the process exited or closed the link)";
      }
      if (fromPrev instanceof SharedRingInput in && !in.peerAlive()) {
        return "rank " + prev() + " closed its connection (the process exited or was killed)";
      }
      return null;
    } catch (IOException e) {
      return "lost a connection to a neighbour (" + e.getMessage() + ")";
    }
  }

  /** Fails the ring with {@code reason} from {@link #lostPeer}. */
  CollectiveException fail(String reason) {
    return failure(reason, null);
  }

  /** Marks both directions as making progress now (called when an operation starts or moves on). */
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
