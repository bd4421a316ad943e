package dev.capstan.train.collective;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Allocates the buffers of {@link Communicator#allocate}. When every rank's links are shared memory
 * (so all ranks share this host's memory), each rank creates a {@link HostBuffer} file, the ranks
 * pass the names around the ring, map each other's, and remove the names; the buffer is then
 * all-reduced in place by {@link HostAllReduce}. Each step that can fail on one rank (no room in
 * shared memory) is agreed on by all, so either every rank uses the host buffer or none does.
 */
final class HostBuffers {
  private static final SecureRandom RANDOM = new SecureRandom();

  private final RingCommunicator ring;
  private final RingLinks links;
  private final Map<ByteBuffer, HostAllReduce> registered = new IdentityHashMap<>();
  private Boolean allShared;
  private int allocated;

  HostBuffers(RingCommunicator ring, RingLinks links) {
    this.ring = ring;
    this.links = links;
  }

  synchronized HostAllReduce find(ByteBuffer buffer) {
    return registered.get(buffer);
  }

  synchronized ByteBuffer allocate(int bytes) {
    if (allShared == null) {
      allShared = everyone(links.sharedMemory());
    }
    HostAllReduce hosted = allShared && bytes <= HostBuffer.MAX_BYTES ? host(bytes) : null;
    if (hosted == null) {
      return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
    }
    registered.put(hosted.own(), hosted);
    return hosted.own();
  }

  private HostAllReduce host(int bytes) {
    int rank = ring.rank();
    // random, so a name left behind by a killed run never blocks this one
    Path file = LinkHandshake.SHARED_MEMORY.resolve("capstan-buffer-" + rank + "-" + allocated++ + "-"
        + Long.toHexString(RANDOM.nextLong()));
    try {
      HostBuffer own = null;
      try {
        own = HostBuffer.create(file, bytes);
      } catch (IOException | RuntimeException e) {
        // no room: the agreement below turns every rank to an ordinary buffer
      }
      if (!everyone(own != null)) {
        return null;
      }
      byte[][] names = ring.allGather(file.toString().getBytes(StandardCharsets.UTF_8));
      HostBuffer[] buffers = new HostBuffer[ring.worldSize()];
      boolean mapped = true;
      for (int k = 0; k < buffers.length; k++) {
        try {
          buffers[k] = k == rank ? own : HostBuffer.open(Path.of(new String(names[k], StandardCharsets.UTF_8)), bytes);
        } catch (IOException | RuntimeException e) {
          mapped = false;
        }
      }
      return everyone(mapped) ? new HostAllReduce(rank, buffers, links) : null;
    } finally {
      SharedFiles.unlink(file);
    }
  }

  /** True on every rank when {@code mine} is true on every rank (a ring all-reduce of one float). */
  private boolean everyone(boolean mine) {
    ByteBuffer vote = ByteBuffer.allocateDirect(Float.BYTES).order(ByteOrder.nativeOrder());
    vote.putFloat(0, mine ? 1 : 0);
    ring.allReduceSum(vote);
    return vote.getFloat(0) == ring.worldSize();
  }
}
