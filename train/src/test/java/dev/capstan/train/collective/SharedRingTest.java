package dev.capstan.train.collective;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared memory ring and its channels, with both ends in this JVM and a real TCP control pair. */
class SharedRingTest {
  @TempDir
  Path dir;

  private SocketChannel writerControl;
  private SocketChannel readerControl;

  @BeforeEach
  void connect() throws IOException {
    try (ServerSocketChannel listener = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
      writerControl = SocketChannel.open(listener.getLocalAddress());
      readerControl = listener.accept();
    }
    writerControl.configureBlocking(false);
    readerControl.configureBlocking(false);
  }

  @AfterEach
  void close() throws IOException {
    writerControl.close();
    readerControl.close();
  }

  @Test
  void theReaderFindsOnlyTheWritersFile() throws IOException {
    Path file = dir.resolve("ring");
    SharedRing.create(file, 42);
    assertNotNull(SharedRing.open(file, 42));
    assertNull(SharedRing.open(file, 43), "another nonce is another ring");
    assertNull(SharedRing.open(dir.resolve("missing"), 42));
  }

  @Test
  void bytesArriveInOrderAcrossManyWrapArounds() throws Exception {
    Path file = dir.resolve("ring");
    SharedRingOutput out = new SharedRingOutput(SharedRing.create(file, 7), new PeerWait(writerControl));
    SharedRingInput in = new SharedRingInput(SharedRing.open(file, 7), new PeerWait(readerControl));
    long total = 10L * SharedRing.CAPACITY + 12_345;
    CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
      Random sizes = new Random(1);
      long sent = 0;
      try {
        while (sent < total) {
          ByteBuffer piece = ByteBuffer.allocate((int) Math.min(total - sent, 1 + sizes.nextInt(3 << 20)));
          for (int i = 0; i < piece.capacity(); i++) {
            piece.put(i, pattern(sent + i));
          }
          while (piece.hasRemaining()) {
            out.write(piece);
          }
          sent += piece.capacity();
        }
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    Random sizes = new Random(2);
    long received = 0;
    while (received < total) {
      ByteBuffer piece = ByteBuffer.allocateDirect((int) Math.min(total - received, 1 + sizes.nextInt(1 << 20)));
      int n = in.read(piece);
      for (int i = 0; i < n; i++) {
        assertEquals(pattern(received + i), piece.get(i), "byte " + (received + i));
      }
      received += n;
    }
    writer.get(30, TimeUnit.SECONDS);
  }

  @Test
  void theReaderDrainsWhatWasWrittenThenSeesTheEndWhenTheWriterCloses() throws Exception {
    Path file = dir.resolve("ring");
    SharedRingOutput out = new SharedRingOutput(SharedRing.create(file, 7), new PeerWait(writerControl));
    SharedRingInput in = new SharedRingInput(SharedRing.open(file, 7), new PeerWait(readerControl));
    out.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
    out.close();
    ByteBuffer got = ByteBuffer.allocate(8);
    assertEquals(3, in.read(got));
    assertArrayEquals(new byte[] {1, 2, 3}, java.util.Arrays.copyOf(got.array(), 3));
    assertEquals(-1, in.read(got));
  }

  @Test
  void aWriterWaitingOnAFullRingFailsWhenTheReaderGoes() throws Exception {
    Path file = dir.resolve("ring");
    SharedRingOutput out = new SharedRingOutput(SharedRing.create(file, 7), new PeerWait(writerControl));
    ByteBuffer full = ByteBuffer.allocate(SharedRing.CAPACITY);
    while (full.hasRemaining()) {
      out.write(full);
    }
    readerControl.close();
    IOException error = assertThrows(IOException.class, () -> out.write(ByteBuffer.allocate(1)));
    assertEquals("the peer closed the link", error.getMessage());
  }

  @Test
  void closingUnblocksAWaitingReader() throws Exception {
    Path file = dir.resolve("ring");
    SharedRing.create(file, 7);
    SharedRingInput in = new SharedRingInput(SharedRing.open(file, 7), new PeerWait(readerControl));
    CompletableFuture<Integer> reading = CompletableFuture.supplyAsync(() -> {
      try {
        return in.read(ByteBuffer.allocate(1));
      } catch (IOException e) {
        throw new RuntimeException(e);
      }
    });
    Thread.sleep(100);
    in.close();
    java.util.concurrent.ExecutionException failed = assertThrows(java.util.concurrent.ExecutionException.class,
        () -> reading.get(10, TimeUnit.SECONDS));
    assertEquals(java.nio.channels.AsynchronousCloseException.class, failed.getCause().getCause().getClass());
  }

  private static byte pattern(long index) {
    return (byte) (index * 31 + (index >>> 13));
  }
}
