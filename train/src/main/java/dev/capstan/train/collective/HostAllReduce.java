package dev.capstan.train.collective;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;

/**
 * All-reduce of one {@link HostBuffer} among ranks that share a host. Three phases, each ended by
 * every rank publishing its progress and waiting for all others to reach it:
 *
 * <ol>
 *   <li>inputs are in place; then rank {@code r} sums chunk {@code r} over all ranks' buffers, in
 *       rank order, into its own buffer;
 *   <li>every chunk is summed; then each rank copies the other chunks from the ranks that own them;
 *   <li>nobody reads this rank's buffer any more, so the caller may overwrite it.
 * </ol>
 *
 * Each chunk is summed once, by one rank, in one order, so every rank ends with bit-identical sums.
 * A wait that sees a neighbour go, or the ring aborted by the stall watchdog, fails.
 */
final class HostAllReduce {
  private static final int SEGMENT_FLOATS = 16 * 1024;
  /** Local work counts as progress for the stall watchdog every this many floats (4 MiB). */
  private static final int PROGRESS_FLOATS = 1 << 20;

  private final int rank;
  private final HostBuffer[] buffers;
  private final FloatBuffer[] floats;
  private final RingLinks links;
  private final Backoff backoff = new Backoff();
  private final float[] sum = new float[SEGMENT_FLOATS];
  private final float[] term = new float[SEGMENT_FLOATS];
  private long operations;

  /** {@code buffers} indexed by rank, this rank's own among them. */
  HostAllReduce(int rank, HostBuffer[] buffers, RingLinks links) {
    this.rank = rank;
    this.buffers = buffers.clone();
    this.floats = new FloatBuffer[buffers.length];
    for (int k = 0; k < buffers.length; k++) {
      floats[k] = buffers[k].data().asFloatBuffer();
    }
    this.links = links;
  }

  ByteBuffer own() {
    return buffers[rank].data();
  }

  /** Sums the first {@code count} floats of every rank's buffer into all of them. */
  void run(int count) {
    long base = 3 * operations++;
    arrive(base + 1);
    sumOwnChunk(count);
    arrive(base + 2);
    copyOtherChunks(count);
    arrive(base + 3);
  }

  private void sumOwnChunk(int count) {
    int from = start(count, rank);
    int to = start(count, rank + 1);
    for (int at = from; at < to; at += SEGMENT_FLOATS) {
      int length = Math.min(SEGMENT_FLOATS, to - at);
      floats[0].get(at, sum, 0, length);
      for (int k = 1; k < floats.length; k++) {
        floats[k].get(at, term, 0, length);
        for (int i = 0; i < length; i++) {
          sum[i] += term[i];
        }
      }
      floats[rank].put(at, sum, 0, length);
      if ((at - from) % PROGRESS_FLOATS == 0) {
        links.resetClocks();
      }
    }
  }

  private void copyOtherChunks(int count) {
    ByteBuffer own = own();
    for (int k = 0; k < buffers.length; k++) {
      if (k != rank) {
        int from = start(count, k);
        int to = start(count, k + 1);
        own.put(from * Float.BYTES, buffers[k].data(), from * Float.BYTES, (to - from) * Float.BYTES);
        links.resetClocks();
      }
    }
  }

  private int start(int count, int chunk) {
    return (int) ((long) count * chunk / buffers.length);
  }

  private void arrive(long progress) {
    buffers[rank].publish(progress);
    backoff.reset();
    for (HostBuffer other : buffers) {
      while (other.progress() < progress) {
        String lost = backoff.pause() ? links.lostPeer() : null;
        // a neighbour may leave once everyone has arrived, so only a wait still unmet is a failure
        if (lost != null && other.progress() < progress) {
          throw links.fail(lost);
        }
      }
    }
    links.resetClocks();
  }
}
