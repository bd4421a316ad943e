package dev.capstan.local.server;

import dev.capstan.local.LocalPaths;
import dev.capstan.local.OwnerOnly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * Keeps {@code $CAPSTAN_HOME} readable by its owner only: the home is 0700 and nothing in it has
 * group or other permission bits. A home written by an older Capstan (0755, files 0644) is
 * tightened when a server starts on it.
 */
public final class PrivateHome {
  private static final Set<PosixFilePermission> GROUP_AND_OTHER = EnumSet.of(
      PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  private PrivateHome() {}

  /** Creates the home with mode 0700, or sets an existing one to 0700. */
  public static void create(LocalPaths paths) {
    Path home = paths.home();
    try {
      OwnerOnly.directories(home);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make " + home + " private to its owner (mode 0700): " + e, e);
    }
  }

  /**
   * Takes the group and other permission bits off everything under the home. Symbolic links are
   * not followed: only what lies inside the home is changed.
   */
  public static void tighten(LocalPaths paths) {
    try {
      Files.walkFileTree(paths.home(), new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          ownerOnly(dir);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
          if (!attrs.isSymbolicLink()) {
            ownerOnly(file);
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          return FileVisitResult.CONTINUE; // removed while we walked
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot tighten the permissions under " + paths.home() + ": " + e, e);
    }
  }

  /** Creates an empty file with mode 0600 if it is missing, or takes the others' bits off an existing one. */
  public static void createFile(Path file) {
    try {
      if (Files.notExists(file, LinkOption.NOFOLLOW_LINKS)) {
        OwnerOnly.directories(file.getParent());
        Files.createFile(file, OwnerOnly.fileMode());
      } else {
        ownerOnly(file);
      }
    } catch (java.nio.file.FileAlreadyExistsException e) {
      ownerOnly(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + file + ": " + e, e);
    }
  }

  private static void ownerOnly(Path path) {
    try {
      Set<PosixFilePermission> mode = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
      if (mode.removeAll(GROUP_AND_OTHER)) {
        Files.setPosixFilePermissions(path, mode);
      }
    } catch (java.nio.file.NoSuchFileException e) {
      // removed while we looked
    } catch (IOException e) {
      System.err.println("capstan: cannot make " + path + " private to its owner: " + e);
    }
  }
}
