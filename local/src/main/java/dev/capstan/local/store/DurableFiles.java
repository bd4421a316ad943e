package dev.capstan.local.store;

import dev.capstan.local.OwnerOnly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * Crash-safe file writes: write a temporary file, fsync it, rename it over the target, fsync the
 * directory. After {@link #write} returns, a {@code kill -9} or power loss keeps either the old
 * or the new content, never a torn one. Files and missing directories are owner-only
 * ({@link OwnerOnly}), whatever the process's umask.
 */
public final class DurableFiles {
  private DurableFiles() {}

  public static void write(Path target, byte[] content) {
    try {
      OwnerOnly.directories(target.getParent());
      Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
      try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING), OwnerOnly.fileMode())) {
        Files.setPosixFilePermissions(tmp, OwnerOnly.FILE); // a leftover temporary file keeps its old mode otherwise
        ByteBuffer buf = ByteBuffer.wrap(content);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      syncDirectory(target.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }

  public static void delete(Path target) {
    try {
      if (Files.deleteIfExists(target)) {
        syncDirectory(target.getParent());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + target, e);
    }
  }

  private static void syncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }
}
