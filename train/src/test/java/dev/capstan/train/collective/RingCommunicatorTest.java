package dev.capstan.train.collective;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Ranks as threads of one JVM, linked over real loopback TCP or real shared memory. */
class RingCommunicatorTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(3);

  @ParameterizedTest
  @EnumSource(LinkTransport.class)
  void allReduceSumsOddSizesAcrossWorldSizesAndIsIdenticalOnEveryRank(LinkTransport transport) throws Exception {
    for (int worldSize : new int[] {2, 3, 4}) {
      for (int count : new int[] {1, 2, 5, 1000, RingCommunicator.SEGMENT_BYTES / 4 * 3 + 7}) {
        List<float[]> results = onRanks(worldSize, transport, comm -> {
          ByteBuffer buffer = ByteBuffer.allocateDirect(count * 4).order(ByteOrder.nativeOrder());
          for (int i = 0; i < count; i++) {
            buffer.putFloat(i * 4, (comm.rank() + 1) * 0.5f + i);
          }
          comm.allReduceSum(buffer);
          float[] out = new float[count];
          buffer.asFloatBuffer().get(out);
          return out;
        });
        for (int i = 0; i < count; i++) {
          float expected = 0;
          for (int r = 0; r < worldSize; r++) {
            expected += (r + 1) * 0.5f + i;
          }
          assertEquals(expected, results.get(0)[i], Math.abs(expected) * 1e-6f, "n=" + worldSize + " i=" + i);
        }
        for (float[] other : results) {
          assertArrayEquals(results.get(0), other);
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(LinkTransport.class)
  void allocatedBuffersSumCorrectlyOverManyOperationsAndAreIdenticalOnEveryRank(LinkTransport transport)
      throws Exception {
    for (int worldSize : new int[] {2, 3, 4}) {
      int count = 100_003;
      List<float[]> results = onRanks(worldSize, transport, comm -> {
        ByteBuffer small = comm.allocate(12);
        ByteBuffer buffer = comm.allocate(count * 4);
        assertEquals(transport == LinkTransport.AUTO && Files.isDirectory(LinkHandshake.SHARED_MEMORY),
            ((RingCommunicator) comm).inHostMemory(buffer));
        float[] out = new float[count];
        for (int round = 0; round < 5; round++) {
          for (int i = 0; i < count; i++) {
            buffer.putFloat(i * 4, (comm.rank() + 1) * 0.25f + i * 0.001f + round);
          }
          comm.allReduceSum(buffer);
          for (int i = 0; i < count; i++) {
            float expected = 0;
            for (int r = 0; r < worldSize; r++) {
              expected += (r + 1) * 0.25f + i * 0.001f + round;
            }
            float got = buffer.getFloat(i * 4);
            if (Math.abs(got - expected) > Math.abs(expected) * 1e-5f) {
              throw new AssertionError("rank " + comm.rank() + " round " + round + " i=" + i + ": " + got + " != " + expected);
            }
          }
          small.putFloat(0, 1).putFloat(4, 2).putFloat(8, comm.rank());
          comm.allReduceSum(small);
          assertEquals(worldSize * (worldSize - 1) / 2f, small.getFloat(8));
        }
        buffer.asFloatBuffer().get(out);
        return out;
      });
      for (float[] other : results) {
        assertArrayEquals(results.get(0), other);
      }
    }
  }

  @Test
  void aRankThatExitsDuringAHostAllReduceFailsTheOthersPromptly() throws Exception {
    List<Object> results = onRanks(3, LinkTransport.AUTO, comm -> {
      ByteBuffer buffer = comm.allocate(1 << 20);
      comm.allReduceSum(buffer);
      if (comm.rank() == 1) {
        comm.close();
        return "left";
      }
      try {
        comm.allReduceSum(buffer);
        return "no error";
      } catch (CollectiveException e) {
        return e;
      }
    });
    for (int rank : new int[] {0, 2}) {
      CollectiveException error = assertInstanceOf(CollectiveException.class, results.get(rank));
      assertTrue(error.getMessage().startsWith("rank " + rank + ": "), error.getMessage());
      // seen through the closed link, not left to the stall watchdog
      assertTrue(error.getMessage().contains("closed") && !error.getMessage().contains("stalled"), error.getMessage());
    }
  }

  @Test
  void ranksOnOneHostLinkThroughSharedMemoryUnlessToldTcp() throws Exception {
    Assumptions.assumeTrue(Files.isDirectory(LinkHandshake.SHARED_MEMORY), "this host has no /dev/shm");
    Set<Path> before = sharedMemoryNames();
    for (String links : onRanks(3, LinkTransport.AUTO, comm -> {
      comm.allocate(1024);
      return comm.describeLinks();
    })) {
      assertTrue(links.matches("to rank \\d over shared memory, from rank \\d over shared memory"), links);
    }
    for (String links : onRanks(3, LinkTransport.TCP, Communicator::describeLinks)) {
      assertTrue(links.matches("to rank \\d over TCP, from rank \\d over TCP"), links);
    }
    assertEquals(before, sharedMemoryNames(), "no ring or buffer file is left behind");
  }

  @Test
  void aRankToldTcpRefusesItsNeighboursSharedMemoryOffer() throws Exception {
    int port = freePort();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<String>> links = new ArrayList<>();
      for (int rank = 0; rank < 2; rank++) {
        LinkTransport transport = rank == 0 ? LinkTransport.AUTO : LinkTransport.TCP;
        RendezvousSpec spec = new RendezvousSpec("127.0.0.1", port, 2, rank, Duration.ofSeconds(20), TIMEOUT, transport);
        links.add(pool.submit(() -> {
          try (Communicator comm = Rendezvous.join(spec)) {
            ByteBuffer buffer = comm.allocate(64);
            buffer.putFloat(0, 1);
            comm.allReduceSum(buffer);
            assertEquals(2f, buffer.getFloat(0));
            return comm.describeLinks();
          }
        }));
      }
      for (Future<String> link : links) {
        assertTrue(link.get().matches("to rank \\d over TCP, from rank \\d over TCP"), link.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void anOfferThatIsNeverAnsweredLeavesNoRingFileBehind() throws Exception {
    Assumptions.assumeTrue(Files.isDirectory(LinkHandshake.SHARED_MEMORY), "this host has no /dev/shm");
    Set<Path> before = sharedMemoryNames();
    try (java.nio.channels.ServerSocketChannel listener = java.nio.channels.ServerSocketChannel.open()
        .bind(new java.net.InetSocketAddress("127.0.0.1", 0));
        java.nio.channels.SocketChannel toNext = java.nio.channels.SocketChannel.open(listener.getLocalAddress())) {
      LinkHandshake.Offer offer = LinkHandshake.offer(toNext, 1, 0, LinkTransport.AUTO);
      assertEquals(before.size() + 1, sharedMemoryNames().size(), "the offer created its ring file");
      listener.accept().close(); // the next rank goes away without answering
      assertThrows(IOException.class, () -> offer.complete(2_000));
    }
    assertEquals(before, sharedMemoryNames());
  }

  private static Set<Path> sharedMemoryNames() throws IOException {
    try (var names = Files.list(LinkHandshake.SHARED_MEMORY)) {
      return names.filter(name -> name.getFileName().toString().startsWith("capstan-")).collect(Collectors.toSet());
    }
  }

  @ParameterizedTest
  @EnumSource(LinkTransport.class)
  void broadcastDeliversRankZerosBytes(LinkTransport transport) throws Exception {
    byte[] large = new byte[SharedRing.CAPACITY * 2 + 3];
    new java.util.Random(5).nextBytes(large);
    List<byte[]> results = onRanks(3, transport, comm -> comm.broadcast(
        comm.rank() == 0 ? "from rank 0".getBytes(StandardCharsets.UTF_8) : null));
    for (byte[] result : results) {
      assertEquals("from rank 0", new String(result, StandardCharsets.UTF_8));
    }
    for (byte[] result : onRanks(3, transport, comm -> comm.broadcast(comm.rank() == 0 ? large : null))) {
      assertArrayEquals(large, result);
    }
  }

  @Test
  void ranksWaitLongerThanTheOperationTimeoutForRankZerosBroadcast() throws Exception {
    // rank 0 reads a slow checkpoint before it broadcasts; the rendezvous timeout (20 s here) bounds the wait
    List<byte[]> results = onRanks(3, LinkTransport.AUTO, comm -> {
      if (comm.rank() == 0) {
        try {
          Thread.sleep(TIMEOUT.toMillis() * 2);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return comm.broadcast(comm.rank() == 0 ? new byte[] {7} : null);
    });
    for (byte[] result : results) {
      assertArrayEquals(new byte[] {7}, result);
    }
  }

  @Test
  void aRankThatNeverJoinsIsAClearTimeoutOnTheRanksThatDid() throws Exception {
    int port = freePort();
    ExecutorService pool = Executors.newCachedThreadPool();
    try {
      List<Future<Communicator>> joined = new ArrayList<>();
      for (int rank = 0; rank < 2; rank++) {
        RendezvousSpec spec = new RendezvousSpec("127.0.0.1", port, 3, rank, Duration.ofSeconds(2), TIMEOUT);
        joined.add(pool.submit(() -> Rendezvous.join(spec)));
      }
      for (Future<Communicator> future : joined) {
        Throwable error = assertThrowsCause(future);
        assertInstanceOf(CollectiveException.class, error);
        assertTrue(error.getMessage().contains("rank(s) [2] of WORLD_SIZE 3 never joined"), error.getMessage());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** With an allocated buffer on shared memory links, the stall happens inside the host all-reduce. */
  @ParameterizedTest
  @CsvSource({"AUTO, false", "TCP, false", "AUTO, true"})
  void aStalledPeerFailsEveryOtherRankWithinTheTimeout(LinkTransport transport, boolean allocated) throws Exception {
    List<Object> results = onRanks(3, transport, comm -> {
      ByteBuffer buffer = allocated ? comm.allocate(4096) : ByteBuffer.allocateDirect(4096).order(ByteOrder.nativeOrder());
      comm.allReduceSum(buffer);
      if (comm.rank() == 2) {
        try {
          Thread.sleep(TIMEOUT.toMillis() * 2);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        comm.close();
        return "stalled";
      }
      try {
        comm.allReduceSum(buffer);
        return "no error";
      } catch (CollectiveException e) {
        return e;
      }
    });
    for (int rank = 0; rank < 2; rank++) {
      CollectiveException error = assertInstanceOf(CollectiveException.class, results.get(rank));
      assertTrue(error.getMessage().startsWith("rank " + rank + ": "), error.getMessage());
    }
  }

  @ParameterizedTest
  @EnumSource(LinkTransport.class)
  void aClosedPeerIsReportedAsGone(LinkTransport transport) throws Exception {
    List<Object> results = onRanks(2, transport, comm -> {
      if (comm.rank() == 1) {
        comm.close();
        return "closed";
      }
      try {
        comm.allReduceSum(ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.nativeOrder()));
        return "no error";
      } catch (CollectiveException e) {
        return e;
      }
    });
    CollectiveException error = assertInstanceOf(CollectiveException.class, results.get(0));
    assertTrue(error.getMessage().contains("rank 1"), error.getMessage());
  }

  static <T> List<T> onRanks(int worldSize, LinkTransport transport, Function<Communicator, T> body)
      throws Exception {
    int port = freePort();
    ExecutorService pool = Executors.newFixedThreadPool(worldSize);
    try {
      List<Future<T>> futures = new ArrayList<>();
      for (int rank = 0; rank < worldSize; rank++) {
        RendezvousSpec spec = new RendezvousSpec("127.0.0.1", port, worldSize, rank, Duration.ofSeconds(20), TIMEOUT,
            transport);
        futures.add(pool.submit(() -> {
          try (Communicator comm = Rendezvous.join(spec)) {
            return body.apply(comm);
          }
        }));
      }
      List<T> results = new ArrayList<>();
      for (Future<T> future : futures) {
        results.add(future.get());
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static Throwable assertThrowsCause(Future<?> future) {
    try {
      future.get();
    } catch (Exception e) {
      return e.getCause();
    }
    throw new AssertionError("expected a failure");
  }
}
