package dev.capstan.train.collective;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;

/**
 * Forms the ring. Rank 0 listens on {@code MASTER_PORT}; every other rank connects to it (retrying
 * until the deadline, since rank 0 may start later), says its rank and the address of its own ring
 * listener, and receives the table of all ranks. Then each rank connects to the next one and
 * accepts the previous one ({@link LinkHandshake} picks TCP or shared memory for each link). A rank
 * that never joins turns into a clear error on every rank that did.
 */
public final class Rendezvous {
  private static final int MAGIC = 0x43505354; // "CPST"
  private static final int SOCKET_BUFFER_BYTES = 4 << 20;

  private Rendezvous() {}

  /** Joins the job described by {@code spec}; world size 1 returns a communicator with no network. */
  public static Communicator join(RendezvousSpec spec) {
    if (spec.worldSize() == 1) {
      return new SingleProcess();
    }
    long deadline = System.nanoTime() + spec.rendezvousTimeout().toNanos();
    try (ServerSocketChannel ringListener = ServerSocketChannel.open()) {
      ringListener.bind(new InetSocketAddress(0));
      int ringPort = ((InetSocketAddress) ringListener.getLocalAddress()).getPort();
      RankTable table = spec.rank() == 0
          ? RankTable.gather(spec, ringPort, deadline)
          : RankTable.fetch(spec, ringPort, deadline);
      RingLinks links = connectRing(spec, table, ringListener, deadline);
      return new RingCommunicator(spec.rank(), spec.worldSize(), links, spec.operationTimeout(),
          spec.rendezvousTimeout());
    } catch (IOException e) {
      throw new CollectiveException("rank " + spec.rank() + ": rendezvous failed: " + e.getMessage(), e);
    }
  }

  private static RingLinks connectRing(RendezvousSpec spec, RankTable table, ServerSocketChannel listener,
      long deadline) throws IOException {
    int rank = spec.rank();
    int next = (rank + 1) % spec.worldSize();
    int prev = (rank + spec.worldSize() - 1) % spec.worldSize();
    SocketChannel toNext = SocketChannel.open();
    configure(toNext);
    try {
      toNext.socket().connect(table.address(next), remainingMillis(deadline, spec, "connecting to rank " + next));
    } catch (IOException e) {
      toNext.close();
      throw new CollectiveException("rank " + rank + ": cannot connect to rank " + next + " at "
          + table.address(next) + ": " + e.getMessage(), e);
    }
    SocketChannel fromPrev = null;
    LinkHandshake.Offer offer = null;
    try {
      offer = LinkHandshake.offer(toNext, table.session(), rank, spec.transport());
      ServerSocket acceptor = listener.socket();
      acceptor.setSoTimeout(remainingMillis(deadline, spec, "waiting for rank " + prev + " to connect"));
      try {
        fromPrev = acceptor.accept().getChannel();
      } catch (SocketTimeoutException e) {
        throw new CollectiveException("rank " + rank + ": rank " + prev + " never connected to the ring within "
            + spec.rendezvousTimeout().toSeconds() + " s");
      }
      configure(fromPrev);
      ReadableByteChannel inbound = LinkHandshake.accept(fromPrev, table.session(), rank, prev, spec.transport(),
          remainingMillis(deadline, spec, "reading the ring handshake"));
      WritableByteChannel outbound = offer.complete(remainingMillis(deadline, spec, "waiting for rank " + next
          + " to answer the ring handshake"));
      return new RingLinks(rank, spec.worldSize(), outbound, inbound);
    } catch (IOException | RuntimeException e) {
      toNext.close();
      if (fromPrev != null) {
        fromPrev.close();
      }
      throw e;
    } finally {
      if (offer != null) {
        offer.removeName();
      }
    }
  }

  private static void configure(SocketChannel channel) throws IOException {
    channel.socket().setTcpNoDelay(true);
    channel.socket().setSendBufferSize(SOCKET_BUFFER_BYTES);
    channel.socket().setReceiveBufferSize(SOCKET_BUFFER_BYTES);
  }

  static int remainingMillis(long deadline, RendezvousSpec spec, String what) {
    long left = (deadline - System.nanoTime()) / 1_000_000;
    if (left <= 0) {
      throw new CollectiveException("rank " + spec.rank() + ": rendezvous timed out after "
          + spec.rendezvousTimeout().toSeconds() + " s while " + what);
    }
    return (int) Math.min(Integer.MAX_VALUE, left);
  }

  static void writeHello(DataOutputStream out, RendezvousSpec spec, String host, int port) throws IOException {
    out.writeInt(MAGIC);
    out.writeInt(spec.rank());
    out.writeInt(spec.worldSize());
    out.writeUTF(host);
    out.writeInt(port);
    out.flush();
  }

  static void checkMagic(DataInputStream in) throws IOException {
    if (in.readInt() != MAGIC) {
      throw new IOException("a connection that is not a Capstan rank reached the master port");
    }
  }
}
