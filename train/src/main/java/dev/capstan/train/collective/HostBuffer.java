package dev.capstan.train.collective;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;

/**
 * A buffer that every rank on the host can read: one shared memory file per rank, a 64-byte header
 * holding that rank's progress counter, then the data. The ranks all-reduce it in place
 * ({@link HostAllReduce}): no copy into a transport and out again, which halves the bytes each
 * rank moves compared with the ring.
 */
final class HostBuffer {
  private static final int HEADER = 64;
  /** The largest buffer one mapping can hold after the header. */
  static final int MAX_BYTES = Integer.MAX_VALUE - HEADER;

  private final MappedByteBuffer map;
  private final ByteBuffer data;

  private HostBuffer(MappedByteBuffer map, int bytes) {
    this.map = map;
    this.data = map.slice(HEADER, bytes).order(ByteOrder.nativeOrder());
  }

  /** Creates this rank's file (see {@link SharedFiles#create}). */
  static HostBuffer create(Path file, int bytes) throws IOException {
    return new HostBuffer(SharedFiles.create(file, (long) HEADER + bytes), bytes);
  }

  /** Maps another rank's file. */
  static HostBuffer open(Path file, int bytes) throws IOException {
    return new HostBuffer(SharedFiles.open(file, (long) HEADER + bytes), bytes);
  }

  /** The data, native byte order; callers slice or duplicate it. */
  ByteBuffer data() {
    return data;
  }

  /** Publishes this rank's progress; everything written to the data before is visible with it. */
  void publish(long progress) {
    SharedFiles.LONGS.setRelease(map, 0, progress);
  }

  long progress() {
    return (long) SharedFiles.LONGS.getAcquire(map, 0);
  }
}
