package dev.capstan.train.collective;

import java.io.IOException;
import java.nio.channels.Channel;

/** What both ends of a same-host link share: the ring, and the wait that watches the peer. */
abstract class SharedRingEnd implements Channel {
  protected final SharedRing ring;
  protected final PeerWait wait;

  SharedRingEnd(SharedRing ring, PeerWait wait) {
    this.ring = ring;
    this.wait = wait;
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
