package dev.capstan.train.collective;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A single-producer single-consumer byte ring in a shared memory file, the same-host link between
 * two ranks. One process writes, the other reads; each position is written by one side only and
 * published with release/acquire ordering, so no locks are needed.
 *
 * <p>Layout: the write position (total bytes written) at 0, a random nonce at 8 (proves that the
 * reader opened the writer's file), the read position at 64 (its own cache line), data from 128.
 */
final class SharedRing {
  static final int CAPACITY = 4 << 20;
  private static final int WRITE_POS = 0;
  private static final int NONCE = 8;
  private static final int READ_POS = 64;
  private static final int DATA = 128;
  private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

  private final MappedByteBuffer map;
  private final ByteBuffer data;

  private SharedRing(MappedByteBuffer map) {
    this.map = map;
    this.data = map.slice(DATA, CAPACITY);
  }

  /**
   * Writer: creates the file filled with zeros (written, not just sized, so a full shared memory
   * mount fails here instead of crashing the process later), maps it and stamps the nonce.
   */
  static SharedRing create(Path file, long nonce) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
      for (long written = 0; written < DATA + CAPACITY; ) {
        zeros.clear().limit((int) Math.min(zeros.capacity(), DATA + CAPACITY - written));
        written += channel.write(zeros, written);
      }
      SharedRing ring = new SharedRing(channel.map(FileChannel.MapMode.READ_WRITE, 0, DATA + CAPACITY));
      ring.map.putLong(NONCE, nonce);
      return ring;
    }
  }

  /** Reader: maps the writer's file, or returns null when it is not the file with {@code nonce}. */
  static SharedRing open(Path file, long nonce) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      if (channel.size() != DATA + CAPACITY) {
        return null;
      }
      SharedRing ring = new SharedRing(channel.map(FileChannel.MapMode.READ_WRITE, 0, DATA + CAPACITY));
      return ring.map.getLong(NONCE) == nonce ? ring : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Writer: copies as much of {@code src} as fits now and returns how much that was (0 when full). */
  int offer(ByteBuffer src) {
    long written = (long) LONGS.getOpaque(map, WRITE_POS);
    long read = (long) LONGS.getAcquire(map, READ_POS);
    int count = (int) Math.min(src.remaining(), CAPACITY - (written - read));
    if (count <= 0) {
      return 0;
    }
    int at = (int) (written % CAPACITY);
    int first = Math.min(count, CAPACITY - at);
    data.put(at, src, src.position(), first);
    if (count > first) {
      data.put(0, src, src.position() + first, count - first);
    }
    src.position(src.position() + count);
    LONGS.setRelease(map, WRITE_POS, written + count);
    return count;
  }

  /** Reader: copies as much as is there into {@code dst} and returns how much that was (0 when empty). */
  int poll(ByteBuffer dst) {
    long read = (long) LONGS.getOpaque(map, READ_POS);
    long written = (long) LONGS.getAcquire(map, WRITE_POS);
    int count = (int) Math.min(dst.remaining(), written - read);
    if (count <= 0) {
      return 0;
    }
    int at = (int) (read % CAPACITY);
    int first = Math.min(count, CAPACITY - at);
    dst.put(dst.position(), data, at, first);
    if (count > first) {
      dst.put(dst.position() + first, data, 0, count - first);
    }
    dst.position(dst.position() + count);
    LONGS.setRelease(map, READ_POS, read + count);
    return count;
  }

  /** Removes the file name; both mappings stay valid and the memory goes when both processes do. */
  static void unlink(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // a leftover name in shared memory is harmless
    }
  }
}
