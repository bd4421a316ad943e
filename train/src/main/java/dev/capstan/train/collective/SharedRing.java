package dev.capstan.train.collective;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;

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

  private final MappedByteBuffer map;
  private final ByteBuffer data;

  private SharedRing(MappedByteBuffer map) {
    this.map = map;
    this.data = map.slice(DATA, CAPACITY);
  }

  /** Writer: creates the file (see {@link SharedFiles#create}), maps it and stamps the nonce. */
  static SharedRing create(Path file, long nonce) throws IOException {
    SharedRing ring = new SharedRing(SharedFiles.create(file, DATA + CAPACITY));
    ring.map.putLong(NONCE, nonce);
    return ring;
  }

  /** Reader: maps the writer's file, or returns null when it is not the file with {@code nonce}. */
  static SharedRing open(Path file, long nonce) {
    try {
      SharedRing ring = new SharedRing(SharedFiles.open(file, DATA + CAPACITY));
      return ring.map.getLong(NONCE) == nonce ? ring : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** Writer: copies as much of {@code src} as fits now and returns how much that was (0 when full). */
  int offer(ByteBuffer src) {
    long written = (long) SharedFiles.LONGS.getOpaque(map, WRITE_POS);
    long read = (long) SharedFiles.LONGS.getAcquire(map, READ_POS);
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
    SharedFiles.LONGS.setRelease(map, WRITE_POS, written + count);
    return count;
  }

  /** Reader: copies as much as is there into {@code dst} and returns how much that was (0 when empty). */
  int poll(ByteBuffer dst) {
    long read = (long) SharedFiles.LONGS.getOpaque(map, READ_POS);
    long written = (long) SharedFiles.LONGS.getAcquire(map, WRITE_POS);
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
    SharedFiles.LONGS.setRelease(map, READ_POS, read + count);
    return count;
  }
}
