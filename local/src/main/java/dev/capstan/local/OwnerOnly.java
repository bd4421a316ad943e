package dev.capstan.local;

import dev.capstan.artifacts.OwnerOnlyFiles;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The modes the server gives what it writes under {@code $CAPSTAN_HOME}: directories 0700 and
 * files 0600, so only the server's user can read its store, token, logs and replica state,
 * whatever the umask. The modes and directory creation are the artifact stores'
 * ({@link OwnerOnlyFiles}); this adds what local mode needs on top.
 */
public final class OwnerOnly {
  public static final Set<PosixFilePermission> DIRECTORY = OwnerOnlyFiles.DIRECTORY;
  public static final Set<PosixFilePermission> FILE = OwnerOnlyFiles.FILE;

  private OwnerOnly() {}

  /** Creates the directory and any missing parents, each 0700; an existing directory is tightened to 0700. */
  public static Path directories(Path dir) throws IOException {
    return OwnerOnlyFiles.directories(dir);
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
