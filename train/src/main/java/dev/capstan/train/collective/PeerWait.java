package dev.capstan.train.collective;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SocketChannel;

/**
 * Waiting on the other end of a shared memory link. While waiting ({@link Backoff}) it watches the
 * link's TCP connection, which carries no data after the handshake: end of stream there means the
 * peer closed the link or its process exited, and the wait ends with that instead of a stall.
 */
final class PeerWait implements AutoCloseable {
  private final SocketChannel control;
  private final ByteBuffer probe = ByteBuffer.allocate(1);
  private final Backoff backoff = new Backoff();
  private volatile boolean closed;

  /** {@code control} must already be in non-blocking mode. */
  PeerWait(SocketChannel control) {
    this.control = control;
  }

  /** The other side moved: the next wait starts with spinning again. */
  void progressed() {
    backoff.reset();
  }

  /** Waits a little; false when the peer has gone. Throws once this side is closed. */
  boolean pause() throws IOException {
    if (closed) {
      throw new AsynchronousCloseException();
    }
    return !backoff.pause() || peerAlive();
  }

  /** Whether the peer still holds its end; callable from any one thread at a time. */
  synchronized boolean peerAlive() throws IOException {
    probe.clear();
    int n;
    try {
      n = control.read(probe);
    } catch (ClosedByInterruptException e) {
      throw new IOException("interrupted while waiting for a peer", e);
    } catch (IOException e) {
      if (closed) {
        throw new AsynchronousCloseException();
      }
      return false;
    }
    if (n > 0) {
      throw new IOException("unexpected data on the control connection of a shared memory link");
    }
    return n == 0;
  }

  boolean isOpen() {
    return !closed;
  }

  @Override
  public void close() {
    closed = true;
    try {
      control.close();
    } catch (IOException ignored) {
      // closing is best effort
    }
  }
}
