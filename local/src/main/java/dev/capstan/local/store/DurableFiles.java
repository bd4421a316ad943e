package dev.capstan.local.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Crash-safe file writes: write a temporary file, fsync it, rename it over the target, fsync the
 * directory. After {@link #write} returns, a {@code kill -9} or power loss keeps either the old
 * or the new content, never a torn one. Files are created readable by their owner only (0600), and
 * missing directories owner-only too (0700), whatever the process's umask.
 */
public final class DurableFiles {
  public static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
  public static final Set<PosixFilePermission> OWNER_DIRECTORY = PosixFilePermissions.fromString("rwx------");

  private DurableFiles() {}

  public static void write(Path target, byte[] content) {
    try {
      createPrivateDirectories(target.getParent());
      Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
      try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING), privateFile())) {
        Files.setPosixFilePermissions(tmp, OWNER_FILE); // a leftover temporary file keeps its old mode otherwise
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

  /** Creates {@code dir} and any missing parents with mode 0700; existing ones are left as they are. */
  public static void createPrivateDirectories(Path dir) throws IOException {
    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_DIRECTORY));
  }

  /** The attribute that creates a file with mode 0600 (for {@code Files.createFile} or {@code FileChannel.open}). */
  public static FileAttribute<Set<PosixFilePermission>> privateFile() {
    return PosixFilePermissions.asFileAttribute(OWNER_FILE);
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
