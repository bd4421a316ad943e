package dev.capstan.train.collective;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/** The sending end of a same-host link: blocks until some bytes fit in the ring, like a socket. */
final class SharedRingOutput extends SharedRingEnd implements WritableByteChannel {
  SharedRingOutput(SharedRing ring, PeerWait wait) {
    super(ring, wait);
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
}
