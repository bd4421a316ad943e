package dev.capstan.train.collective;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * The receiving end of a same-host link: blocks until some bytes are there, like a socket; end of
 * stream once the peer has gone and everything it wrote has been read.
 */
final class SharedRingInput extends SharedRingEnd implements ReadableByteChannel {
  SharedRingInput(SharedRing ring, PeerWait wait) {
    super(ring, wait);
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    if (!dst.hasRemaining()) {
      return 0;
    }
    while (true) {
      int n = ring.poll(dst);
      if (n > 0) {
        wait.progressed();
        return n;
      }
      if (!wait.pause()) {
        n = ring.poll(dst);
        return n > 0 ? n : -1;
      }
    }
  }
}
