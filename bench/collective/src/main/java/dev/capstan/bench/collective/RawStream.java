package dev.capstan.bench.collective;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Locale;

/**
 * The limit on this machine: one process streams bytes to another over loopback TCP, with the same
 * socket settings and segment size the ring uses, no framing and no arithmetic.
 */
final class RawStream {
  private static final int BUFFER = 1 << 19;

  private RawStream() {}

  static void receive(int port) throws IOException {
    try (ServerSocketChannel server = ServerSocketChannel.open()) {
      server.bind(new InetSocketAddress("127.0.0.1", port));
      try (SocketChannel channel = server.accept()) {
        channel.socket().setReceiveBufferSize(4 << 20);
        ByteBuffer length = ByteBuffer.allocate(8);
        while (length.hasRemaining()) {
          channel.read(length);
        }
        long total = length.flip().getLong();
        ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);
        long received = 0;
        long start = System.nanoTime();
        while (received < total) {
          buffer.clear();
          int n = channel.read(buffer);
          if (n < 0) {
            throw new IOException("sender closed early");
          }
          received += n;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "result mbps %.1f%n", total / seconds / 1e6);
      }
    }
  }

  /**
   * Both directions at once, as a ring of two does: this process receives {@code total} bytes on
   * {@code listenPort} while it sends as many to {@code sendPort}; reports the per-direction rate.
   */
  static void duplex(int listenPort, int sendPort, long total) throws Exception {
    java.util.concurrent.CompletableFuture<Void> receiving = java.util.concurrent.CompletableFuture.runAsync(() -> {
      try {
        receive(listenPort);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    long start = System.nanoTime();
    send(sendPort, total);
    receiving.get();
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(Locale.ROOT, "result duplex-mbps %.1f%n", total / seconds / 1e6);
  }

  static void send(int port, long total) throws IOException, InterruptedException {
    SocketChannel channel = null;
    for (int attempt = 0; channel == null; attempt++) {
      try {
        channel = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
      } catch (IOException e) {
        if (attempt > 100) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
    try (SocketChannel open = channel) {
      open.socket().setTcpNoDelay(true);
      open.socket().setSendBufferSize(4 << 20);
      ByteBuffer length = ByteBuffer.allocate(8).putLong(0, total);
      while (length.hasRemaining()) {
        open.write(length);
      }
      ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);
      long sent = 0;
      while (sent < total) {
        buffer.clear().limit((int) Math.min(BUFFER, total - sent));
        while (buffer.hasRemaining()) {
          sent += open.write(buffer);
        }
      }
    }
  }
}
