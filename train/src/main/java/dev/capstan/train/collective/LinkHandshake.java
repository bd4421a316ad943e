package dev.capstan.train.collective;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * The first bytes on a ring connection, which also choose how the link carries data. The sending
 * rank says its session and rank and, unless told to use TCP, offers a shared memory ring it has
 * created: a file name under {@code /dev/shm} and a random nonce stamped in it. The receiving rank
 * answers yes only if it can map that file and finds the nonce, which proves both ends share the
 * host and the mount (two pods on one node do not). Either way the name is removed right after the
 * answer; the mappings live on. On a shared memory link the TCP connection stays open, silent, so
 * either end sees at once when the other exits.
 */
final class LinkHandshake {
  static final Path SHARED_MEMORY = Path.of("/dev/shm");
  private static final SecureRandom RANDOM = new SecureRandom();

  private LinkHandshake() {}

  /** The sending end of a link after its offer, waiting for the answer. */
  static final class Offer {
    private final SocketChannel socket;
    private final SharedRing ring;
    private final Path file;

    private Offer(SocketChannel socket, SharedRing ring, Path file) {
      this.socket = socket;
      this.ring = ring;
      this.file = file;
    }

    /** Reads the answer and returns the channel to send on. */
    WritableByteChannel complete(int timeoutMillis) throws IOException {
      if (ring == null) {
        return socket;
      }
      try {
        socket.socket().setSoTimeout(timeoutMillis);
        boolean accepted = new DataInputStream(socket.socket().getInputStream()).readBoolean();
        if (!accepted) {
          return socket;
        }
        socket.configureBlocking(false);
        return new SharedRingOutput(ring, new PeerWait(socket));
      } finally {
        removeName();
      }
    }

    /** Removes the offered file's name, whatever became of the offer (idempotent). */
    void removeName() {
      if (file != null) {
        SharedFiles.unlink(file);
      }
    }
  }

  /** Sends the hello on a fresh connection to the next rank. */
  static Offer offer(SocketChannel toNext, long session, int rank, LinkTransport transport) throws IOException {
    Path file = null;
    SharedRing ring = null;
    long nonce = RANDOM.nextLong();
    if (transport == LinkTransport.AUTO && Files.isDirectory(SHARED_MEMORY) && Files.isWritable(SHARED_MEMORY)) {
      file = SHARED_MEMORY.resolve("capstan-ring-" + Long.toHexString(session) + "-" + rank + "-"
          + Long.toHexString(nonce));
      try {
        ring = SharedRing.create(file, nonce);
      } catch (IOException | RuntimeException e) {
        SharedFiles.unlink(file); // no room in shared memory: TCP it is
        file = null;
      }
    }
    Offer offer = new Offer(toNext, ring, file);
    try {
      DataOutputStream out = new DataOutputStream(toNext.socket().getOutputStream());
      out.writeLong(session);
      out.writeInt(rank);
      out.writeBoolean(ring != null);
      if (ring != null) {
        out.writeLong(nonce);
        out.writeUTF(file.toString());
      }
      out.flush();
      return offer;
    } catch (IOException | RuntimeException e) {
      offer.removeName();
      throw e;
    }
  }

  /**
   * Reads the hello on a connection accepted from the previous rank, answers an offer (no when this
   * rank is told to use TCP), and returns the channel to receive on.
   */
  static ReadableByteChannel accept(SocketChannel fromPrev, long session, int rank, int prev, LinkTransport transport,
      int timeoutMillis) throws IOException {
    fromPrev.socket().setSoTimeout(timeoutMillis);
    DataInputStream in = new DataInputStream(fromPrev.socket().getInputStream());
    long peerSession = in.readLong();
    int peer = in.readInt();
    if (peerSession != session || peer != prev) {
      throw new CollectiveException("rank " + rank + ": unexpected ring peer (rank " + peer
          + " of another rendezvous) where rank " + prev + " was expected");
    }
    if (!in.readBoolean()) {
      return fromPrev;
    }
    long nonce = in.readLong();
    String offered = in.readUTF();
    SharedRing ring = transport == LinkTransport.AUTO ? SharedRing.open(Path.of(offered), nonce) : null;
    DataOutputStream out = new DataOutputStream(fromPrev.socket().getOutputStream());
    out.writeBoolean(ring != null);
    out.flush();
    if (ring == null) {
      return fromPrev;
    }
    fromPrev.configureBlocking(false);
    return new SharedRingInput(ring, new PeerWait(fromPrev));
  }
}
