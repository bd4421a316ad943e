package dev.capstan.train.collective;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

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
  private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

  private final MappedByteBuffer map;
  private final ByteBuffer data;

  private HostBuffer(MappedByteBuffer map, int bytes) {
    this.map = map;
    this.data = map.slice(HEADER, bytes).order(ByteOrder.nativeOrder());
  }

  /** Creates this rank's file, zero-filled by writing (a full mount fails here, not later). */
  static HostBuffer create(Path file, int bytes) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
      long size = (long) HEADER + bytes;
      for (long written = 0; written < size; ) {
        zeros.clear().limit((int) Math.min(zeros.capacity(), size - written));
        written += channel.write(zeros, written);
      }
      return new HostBuffer(channel.map(FileChannel.MapMode.READ_WRITE, 0, size), bytes);
    }
  }

  /** Maps another rank's file. */
  static HostBuffer open(Path file, int bytes) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = (long) HEADER + bytes;
      if (channel.size() != size) {
        throw new IOException(file + " has " + channel.size() + " bytes, expected " + size);
      }
      return new HostBuffer(channel.map(FileChannel.MapMode.READ_WRITE, 0, size), bytes);
    }
  }

  /** The data, native byte order; callers slice or duplicate it. */
  ByteBuffer data() {
    return data;
  }

  /** Publishes this rank's progress; everything written to the data before is visible with it. */
  void publish(long progress) {
    LONGS.setRelease(map, 0, progress);
  }

  long progress() {
    return (long) LONGS.getAcquire(map, 0);
  }
}
