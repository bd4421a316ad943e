package dev.capstan.artifacts;

import dev.capstan.core.registry.ArtifactException;
import dev.capstan.core.registry.ArtifactException.Reason;
import dev.capstan.core.registry.ArtifactPath;
import dev.capstan.core.registry.ArtifactTarget;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.UUID;

/**
 * A directory that appears whole or not at all: files are written (0600, fsynced) into a hidden
 * directory beside the destination, which is renamed onto it on {@link #commit()}. The destination
 * must not exist yet or be an empty directory, so a get never mixes with, nor replaces, what was
 * there; an aborted get leaves nothing behind.
 */
public final class DirectoryTarget implements ArtifactTarget {
  private final Path destination;
  private final Path staging;

  private DirectoryTarget(Path destination, Path staging) {
    this.destination = destination;
    this.staging = staging;
  }

  public static DirectoryTarget at(Path dir) {
    Path destination = dir.toAbsolutePath().normalize();
    requireEmptyOrMissing(destination);
    Path staging = destination.resolveSibling("." + destination.getFileName() + "." + UUID.randomUUID() + ".partial");
    try {
      OwnerOnlyFiles.directories(staging);
    } catch (IOException e) {
      throw new ArtifactException(Reason.UNAVAILABLE, "cannot create " + staging + ": " + e.getMessage(), e);
    }
    return new DirectoryTarget(destination, staging);
  }

  /** Where the files appear after commit. */
  public Path destination() {
    return destination;
  }

  @Override
  public OutputStream create(String path) throws IOException {
    ArtifactPath.check(path, "path");
    Path file = staging.resolve(path).normalize();
    if (!file.startsWith(staging)) {
      throw new ArtifactException(Reason.INVALID_PATH, path + ": is outside the destination");
    }
    OwnerOnlyFiles.directories(file.getParent());
    FileChannel channel = OwnerOnlyFiles.create(file);
    return new FilterOutputStream(Channels.newOutputStream(channel)) {
      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        try {
          channel.force(true);
        } finally {
          super.close();
        }
      }
    };
  }

  @Override
  public void commit() throws IOException {
    requireEmptyOrMissing(destination);
    try {
      OwnerOnlyFiles.rename(staging, destination);
    } catch (DirectoryNotEmptyException e) {
      abort();
      throw new ArtifactException(Reason.ALREADY_EXISTS, destination + " was filled while the artifact was copied");
    }
  }

  @Override
  public void abort() {
    try {
      OwnerOnlyFiles.deleteTree(staging);
    } catch (IOException e) {
      // best effort: a leftover .partial directory is hidden and holds only owner-only files
    }
  }

  private static void requireEmptyOrMissing(Path destination) {
    if (!Files.exists(destination, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (var children = Files.list(destination)) {
      if (Files.isDirectory(destination, LinkOption.NOFOLLOW_LINKS) && children.findAny().isEmpty()) {
        return;
      }
    } catch (IOException e) {
      // not a readable directory: refused below
    }
    throw new ArtifactException(Reason.ALREADY_EXISTS, destination + " already exists and is not an empty directory");
  }
}
