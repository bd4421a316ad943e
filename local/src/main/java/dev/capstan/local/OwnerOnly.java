package dev.capstan.local;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The one home of the modes the server gives what it writes: directories 0700 and files 0600, so
 * only the server's user can read its store, token, logs and replica state, whatever the umask.
 */
public final class OwnerOnly {
  public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
  public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  private OwnerOnly() {}

  /** Creates the directory and any missing parents, each 0700; an existing directory is tightened to 0700. */
  public static Path directories(Path dir) throws IOException {
    Path parent = dir.toAbsolutePath().getParent();
    if (parent != null && !Files.isDirectory(parent)) {
      directories(parent);
    }
    try {
      Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(dir)) {
        throw e;
      }
    }
    Files.setPosixFilePermissions(dir, DIRECTORY);
    return dir;
  }

  /** Creates the file empty if missing, and makes it 0600 either way. */
  public static Path file(Path file) throws IOException {
    try {
      Files.createFile(file, fileMode());
    } catch (FileAlreadyExistsException e) {
      // kept as it is, permissions tightened below
    }
    Files.setPosixFilePermissions(file, FILE);
    return file;
  }

  /** The attribute that creates a file 0600, for {@code Files.createFile} or {@code FileChannel.open}. */
  public static FileAttribute<Set<PosixFilePermission>> fileMode() {
    return PosixFilePermissions.asFileAttribute(FILE);
  }
}
