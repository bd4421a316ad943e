package dev.capstan.train.collective;

import java.nio.ByteBuffer;

/**
 * Collective operations among the ranks of one training job. Every rank calls the same operations in
 * the same order; results are bit-identical on every rank.
 */
public interface Communicator extends AutoCloseable {
  int rank();

  int worldSize();

  /**
   * Sums float32 values (native byte order, from 0 to the limit of {@code floats}) across all ranks
   * in place.
   */
  void allReduceSum(ByteBuffer floats);

  /**
   * A buffer for repeated {@link #allReduceSum} calls, native byte order. Every rank allocates the
   * same sizes in the same order (a collective call). Ranks that all share one host sum such a
   * buffer in place through shared memory, which moves about half the bytes the ring does; other
   * buffers, and ranks on several hosts, use the ring.
   */
  ByteBuffer allocate(int bytes);

  /**
   * Returns rank 0's bytes on every rank; {@code bytes} is ignored on other ranks. The other ranks
   * wait for rank 0 as long as they waited for each other at rendezvous, not just the operation
   * timeout: rank 0 may still be reading a large checkpoint.
   */
  byte[] broadcast(byte[] bytes);

  /** How this rank reaches the others, for the log: for example {@code to rank 1 over shared memory}. */
  String describeLinks();

  @Override
  void close();
}
