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

/** Shared memory files: what {@link SharedRing} and {@link HostBuffer} are made of. */
final class SharedFiles {
  /** Longs in a mapping, for positions and counters published with release/acquire ordering. */
  static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());

  private SharedFiles() {}

  /**
   * Creates {@code file} filled with zeros and maps it. The zeros are written, not just sized, so a
   * full shared memory mount fails here with an exception instead of crashing the process later
   * on its first touch of a page that has no memory behind it.
   */
  static MappedByteBuffer create(Path file, long size) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
      for (long written = 0; written < size; ) {
        zeros.clear().limit((int) Math.min(zeros.capacity(), size - written));
        written += channel.write(zeros, written);
      }
      return channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
    }
  }

  /** Maps another process's file, which must have exactly {@code size} bytes. */
  static MappedByteBuffer open(Path file, long size) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      if (channel.size() != size) {
        throw new IOException(file + " has " + channel.size() + " bytes, expected " + size);
      }
      return channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
    }
  }

  /** Removes the file name; mappings stay valid and the memory goes when every process has let go. */
  static void unlink(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // a leftover name in shared memory is harmless
    }
  }
}
