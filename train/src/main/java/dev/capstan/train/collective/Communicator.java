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

  /** Returns rank 0's bytes on every rank; {@code bytes} is ignored on other ranks. */
  byte[] broadcast(byte[] bytes);

  @Override
  void close();
}
