package dev.capstan.train.collective;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/** The sending end of a same-host link: blocks until some bytes fit in the ring, like a socket. */
final class SharedRingOutput implements WritableByteChannel {
  private final SharedRing ring;
  private final PeerWait wait;

  SharedRingOutput(SharedRing ring, PeerWait wait) {
    this.ring = ring;
    this.wait = wait;
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    if (!src.hasRemaining()) {
      return 0;
    }
    while (true) {
      int n = ring.offer(src);
      if (n > 0) {
        wait.progressed();
        return n;
      }
      if (!wait.pause()) {
        throw new IOException("the peer closed the link");
      }
    }
  }

  /** Whether the process at the other end still holds the link. */
  boolean peerAlive() throws IOException {
    return wait.peerAlive();
  }

  @Override
  public boolean isOpen() {
    return wait.isOpen();
  }

  @Override
  public void close() {
    wait.close();
  }
}
