package dev.capstan.train.collective;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.time.Duration;

/**
 * Ring all-reduce over TCP: a reduce-scatter then an all-gather, each of {@code n - 1} steps in which
 * every rank sends one chunk to the next rank and receives one from the previous rank. Chunks move
 * in segments and each received segment is forwarded as soon as it is reduced, so sending, receiving
 * and adding overlap (a pipelined ring). Each chunk is reduced by one rank in one order, so every
 * rank ends with bit-identical sums.
 */
public final class RingCommunicator implements Communicator {
  static final int SEGMENT_BYTES = 1 << 19;

  private final int rank;
  private final int worldSize;
  private final RingLinks links;
  private final RingSender sender;
  private final StallWatchdog watchdog;
  private final ByteBuffer scratch = ByteBuffer.allocateDirect(SEGMENT_BYTES).order(ByteOrder.nativeOrder());
  private final float[] incoming = new float[SEGMENT_BYTES / Float.BYTES];
  private final float[] accumulated = new float[SEGMENT_BYTES / Float.BYTES];
  private final HostBuffers hostBuffers;
  private final Duration broadcastTimeout;

  /**
   * {@code timeout} bounds every operation's stall; a broadcast may wait up to
   * {@code broadcastTimeout}, since ranks reach it while rank 0 reads the state it sends (a
   * checkpoint, maybe large, maybe on a slow disk).
   */
  RingCommunicator(int rank, int worldSize, RingLinks links, Duration timeout, Duration broadcastTimeout) {
    this.rank = rank;
    this.worldSize = worldSize;
    this.links = links;
    this.sender = new RingSender(links, rank);
    this.watchdog = new StallWatchdog(links, timeout, rank);
    this.broadcastTimeout = broadcastTimeout.compareTo(timeout) > 0 ? broadcastTimeout : timeout;
    this.hostBuffers = new HostBuffers(this, links);
  }

  @Override
  public int rank() {
    return rank;
  }

  @Override
  public int worldSize() {
    return worldSize;
  }

  @Override
  public String describeLinks() {
    return links.describe();
  }

  @Override
  public ByteBuffer allocate(int bytes) {
    return hostBuffers.allocate(bytes);
  }

  /** Whether {@code buffer} is all-reduced in place in host shared memory. */
  boolean inHostMemory(ByteBuffer buffer) {
    return hostBuffers.find(buffer) != null;
  }

  @Override
  public void allReduceSum(ByteBuffer floats) {
    HostAllReduce hosted = hostBuffers.find(floats);
    if (hosted != null) {
      watchdog.enter();
      try {
        hosted.run(floats.limit() / Float.BYTES);
      } finally {
        watchdog.exit();
      }
      return;
    }
    ByteBuffer data = floats.duplicate().order(ByteOrder.nativeOrder()).position(0);
    int count = data.limit() / Float.BYTES;
    if (count == 0) {
      return;
    }
    watchdog.enter();
    try {
      sender.send(chunk(data, count, rank));
      for (int step = 0; step < worldSize - 1; step++) {
        receiveAndAdd(data, count, Math.floorMod(rank - step - 1, worldSize));
      }
      for (int step = 0; step < worldSize - 1; step++) {
        receiveInto(data, count, Math.floorMod(rank - step, worldSize), step < worldSize - 2);
      }
      sender.flush();
    } finally {
      watchdog.exit();
    }
  }

  @Override
  public byte[] broadcast(byte[] bytes) {
    watchdog.enter(broadcastTimeout);
    try {
      byte[] result = rank == 0 ? bytes : receiveMessage();
      if (links.next() != 0) {
        sendMessage(result);
        sender.flush();
      }
      return result;
    } finally {
      watchdog.exit();
    }
  }

  /** Every rank's {@code mine}, indexed by rank, passed around the ring. */
  byte[][] allGather(byte[] mine) {
    watchdog.enter();
    try {
      byte[][] all = new byte[worldSize][];
      all[rank] = mine;
      byte[] carry = mine;
      for (int step = 0; step < worldSize - 1; step++) {
        sendMessage(carry);
        carry = receiveMessage();
        all[Math.floorMod(rank - step - 1, worldSize)] = carry;
      }
      sender.flush();
      return all;
    } finally {
      watchdog.exit();
    }
  }

  /** Queues {@code bytes} for the next rank, length first; the caller flushes. */
  private void sendMessage(byte[] bytes) {
    sender.send(ByteBuffer.allocate(Integer.BYTES).putInt(0, bytes.length));
    sender.send(ByteBuffer.wrap(bytes));
  }

  /** Reads what {@link #sendMessage} sent from the previous rank. */
  private byte[] receiveMessage() {
    ByteBuffer length = ByteBuffer.allocate(Integer.BYTES);
    links.readFully(length);
    byte[] bytes = new byte[length.flip().getInt()];
    links.readFully(ByteBuffer.wrap(bytes));
    return bytes;
  }

  private ByteBuffer chunk(ByteBuffer data, int count, int index) {
    int from = (int) ((long) count * index / worldSize);
    int to = (int) ((long) count * (index + 1) / worldSize);
    return data.slice(from * Float.BYTES, (to - from) * Float.BYTES).order(ByteOrder.nativeOrder());
  }

  /** Receives chunk {@code index} from the previous rank, adds it in, forwards each reduced segment. */
  private void receiveAndAdd(ByteBuffer data, int count, int index) {
    ByteBuffer target = chunk(data, count, index);
    FloatBuffer sums = target.asFloatBuffer();
    for (int offset = 0; offset < target.limit(); offset += SEGMENT_BYTES) {
      int length = Math.min(SEGMENT_BYTES, target.limit() - offset);
      int floats = length / Float.BYTES;
      int base = offset / Float.BYTES;
      scratch.clear().limit(length);
      links.readFully(scratch);
      scratch.flip().asFloatBuffer().get(incoming, 0, floats);
      sums.get(base, accumulated, 0, floats);
      for (int i = 0; i < floats; i++) {
        accumulated[i] += incoming[i];
      }
      sums.put(base, accumulated, 0, floats);
      sender.send(target.slice(offset, length));
    }
  }

  /** Receives the final values of chunk {@code index} in place, forwarding segments when asked. */
  private void receiveInto(ByteBuffer data, int count, int index, boolean forward) {
    ByteBuffer target = chunk(data, count, index);
    for (int offset = 0; offset < target.limit(); offset += SEGMENT_BYTES) {
      int length = Math.min(SEGMENT_BYTES, target.limit() - offset);
      ByteBuffer segment = target.slice(offset, length);
      links.readFully(segment.duplicate());
      if (forward) {
        sender.send(segment);
      }
    }
  }

  @Override
  public void close() {
    watchdog.close();
    sender.close();
    links.close();
  }
}
