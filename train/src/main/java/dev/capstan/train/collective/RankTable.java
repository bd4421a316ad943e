package dev.capstan.train.collective;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** The ring listener address of every rank, agreed through rank 0 during rendezvous. */
final class RankTable {
  private final InetSocketAddress[] addresses;
  private final long session;

  private RankTable(InetSocketAddress[] addresses, long session) {
    this.addresses = addresses;
    this.session = session;
  }

  InetSocketAddress address(int rank) {
    return addresses[rank];
  }

  /** A random id of this rendezvous, so that ring connections from another attempt are refused. */
  long session() {
    return session;
  }

  /** Rank 0: accepts every other rank on the master port, then sends each the whole table. */
  static RankTable gather(RendezvousSpec spec, int ringPort, long deadline) throws IOException {
    int n = spec.worldSize();
    InetSocketAddress[] addresses = new InetSocketAddress[n];
    addresses[0] = new InetSocketAddress(spec.masterAddr(), ringPort);
    List<Socket> joined = new ArrayList<>();
    try (ServerSocket master = new ServerSocket()) {
      master.setReuseAddress(true);
      try {
        master.bind(new InetSocketAddress(spec.masterPort()));
      } catch (IOException e) {
        throw new CollectiveException("rank 0: cannot listen on MASTER_PORT " + spec.masterPort() + ": "
            + e.getMessage(), e);
      }
      while (joined.size() < n - 1) {
        try {
          master.setSoTimeout(Rendezvous.remainingMillis(deadline, spec, "waiting for ranks to join"));
          Socket socket = master.accept();
          socket.setSoTimeout(5_000);
          DataInputStream in = new DataInputStream(socket.getInputStream());
          Rendezvous.checkMagic(in);
          int rank = in.readInt();
          int worldSize = in.readInt();
          String host = in.readUTF();
          int port = in.readInt();
          String problem = worldSize != n ? "WORLD_SIZE " + worldSize + " differs from rank 0's " + n
              : rank < 1 || rank >= n ? "RANK " + rank + " is out of range for WORLD_SIZE " + n
              : addresses[rank] != null ? "RANK " + rank + " joined twice" : null;
          if (problem != null) {
            reply(socket, problem);
            socket.close();
            continue;
          }
          addresses[rank] = new InetSocketAddress(host, port);
          joined.add(socket);
        } catch (CollectiveException | SocketTimeoutException e) {
          String message = "rank 0: rendezvous timed out after " + spec.rendezvousTimeout().toSeconds()
              + " s: rank(s) " + missing(addresses) + " of WORLD_SIZE " + n + " never joined at "
              + spec.masterAddr() + ":" + spec.masterPort();
          for (Socket socket : joined) {
            reply(socket, message);
          }
          throw new CollectiveException(message);
        } catch (IOException e) {
          // a connection that broke or spoke nonsense; keep waiting for real ranks
        }
      }
      RankTable table = new RankTable(addresses, new SecureRandom().nextLong());
      for (Socket socket : joined) {
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        out.writeUTF("");
        out.writeLong(table.session);
        for (InetSocketAddress address : addresses) {
          out.writeUTF(address.getHostString());
          out.writeInt(address.getPort());
        }
        out.flush();
      }
      return table;
    } finally {
      for (Socket socket : joined) {
        socket.close();
      }
    }
  }

  /** Other ranks: connect to rank 0 (retrying until the deadline), say who we are, read the table. */
  static RankTable fetch(RendezvousSpec spec, int ringPort, long deadline) throws IOException {
    try (Socket socket = connectToMaster(spec, deadline)) {
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      Rendezvous.writeHello(out, spec, socket.getLocalAddress().getHostAddress(), ringPort);
      socket.setSoTimeout(Rendezvous.remainingMillis(deadline, spec, "waiting for the other ranks") + 2_000);
      DataInputStream in = new DataInputStream(socket.getInputStream());
      String error;
      try {
        error = in.readUTF();
      } catch (SocketTimeoutException e) {
        throw new CollectiveException("rank " + spec.rank() + ": rendezvous timed out after "
            + spec.rendezvousTimeout().toSeconds() + " s waiting for rank 0 to gather all ranks");
      } catch (IOException e) {
        throw new CollectiveException("rank " + spec.rank() + ": rank 0 closed the rendezvous connection ("
            + e.getMessage() + ")", e);
      }
      if (!error.isEmpty()) {
        throw new CollectiveException("rank " + spec.rank() + ": rendezvous failed: " + error);
      }
      long session = in.readLong();
      InetSocketAddress[] addresses = new InetSocketAddress[spec.worldSize()];
      for (int i = 0; i < addresses.length; i++) {
        addresses[i] = new InetSocketAddress(in.readUTF(), in.readInt());
      }
      return new RankTable(addresses, session);
    }
  }

  private static Socket connectToMaster(RendezvousSpec spec, long deadline) throws IOException {
    InetSocketAddress master = new InetSocketAddress(spec.masterAddr(), spec.masterPort());
    while (true) {
      Socket socket = new Socket();
      try {
        socket.connect(master, Math.min(2_000, Rendezvous.remainingMillis(deadline, spec,
            "connecting to rank 0 at " + spec.masterAddr() + ":" + spec.masterPort())));
        if (!connectedToItself(socket)) {
          return socket;
        }
        // the kernel picked MASTER_PORT itself as this socket's local port while rank 0 was not
        // yet listening, and the connection reached itself; holding it would keep rank 0 from binding
        socket.close();
        sleepBriefly();
      } catch (ConnectException | SocketTimeoutException e) {
        socket.close();
        sleepBriefly();
      } catch (IOException e) {
        socket.close();
        if (master.isUnresolved()) {
          sleepBriefly();
          master = new InetSocketAddress(spec.masterAddr(), spec.masterPort());
        } else {
          throw e;
        }
      }
    }
  }

  static boolean connectedToItself(Socket socket) {
    return socket.getLocalPort() == socket.getPort() && socket.getLocalAddress().equals(socket.getInetAddress());
  }

  private static void sleepBriefly() {
    try {
      Thread.sleep(200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CollectiveException("interrupted during rendezvous");
    }
  }

  private static void reply(Socket socket, String error) {
    try {
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      out.writeUTF(error);
      out.flush();
    } catch (IOException ignored) {
      // that rank will see the connection close instead
    }
  }

  private static String missing(InetSocketAddress[] addresses) {
    TreeSet<Integer> ranks = new TreeSet<>();
    for (int i = 1; i < addresses.length; i++) {
      if (addresses[i] == null) {
        ranks.add(i);
      }
    }
    return ranks.toString();
  }
}
