package dev.capstan.cli;

import dev.capstan.serve.fetch.ModelFetcher;
import dev.capstan.serve.fetch.SourcePolicy;
import dev.capstan.serve.fetch.UnsafeModelException;
import dev.capstan.serve.fetch.WorkArea;
import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Places a model source into a directory through serve's guarded {@link ModelFetcher}: a local
 * path or {@code file://} URI (the named file or directory is the only root it may read), or
 * {@code http(s)://} (public addresses only unless allowed, size and entry caps, archives
 * extracted safely). The model is staged beside the target and moved in only once complete, so a
 * failed fetch leaves the target as it was. Used by {@code capstan fetch} (the cluster's init
 * container) and by local mode's one copy per revision.
 */
final class ModelDownload {
  /** Schemes a later source kind will add (object stores, the registry); refused clearly for now. */
  private static final Set<String> NOT_YET = Set.of("s3", "gs", "models");

  private final SourcePolicy policy;

  ModelDownload(SourcePolicy policy) {
    this.policy = policy;
  }

  static ModelDownload defaults() {
    return new ModelDownload(SourcePolicy.defaults());
  }

  /**
   * Fetches {@code source} into {@code target}, which must be absent or an empty directory.
   * Returns {@code target}.
   */
  Path into(String source, String sha256, Path target) throws IOException {
    URI uri = uri(source);
    Path dir = target.toAbsolutePath().normalize();
    if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS) && !emptyDirectory(dir)) {
      throw new UnsafeModelException(target + " must be absent or an empty directory");
    }
    Files.createDirectories(dir.getParent());
    Path staging = Files.createTempDirectory(dir.getParent(), "." + dir.getFileName() + ".fetch-",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    try {
      SourcePolicy confined = "file".equals(uri.getScheme()) ? policy.withFileRoots(List.of(Path.of(uri))) : policy;
      Path fetched = new ModelFetcher(confined).fetch(uri, sha256, staging.resolve("fetched"));
      Path model = staging.resolve("model");
      if (fetched.startsWith(staging)) {
        Files.move(fetched, model);
      } else {
        copyTree(fetched, model);
      }
      moveInto(model, dir);
      return dir;
    } finally {
      WorkArea.delete(staging);
    }
  }

  /** A model source as a URI: a URI with a scheme as it is, anything else as a local path. */
  static URI uri(String source) throws UnsafeModelException {
    if (source == null || source.isBlank()) {
      throw new UnsafeModelException("the model source is empty");
    }
    int colon = source.indexOf(':');
    if (colon > 0 && source.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*") && colon > 1) {
      String scheme = source.substring(0, colon).toLowerCase(Locale.ROOT);
      if (NOT_YET.contains(scheme)) {
        throw new UnsafeModelException(scheme + ": sources are not supported here yet; use a path, file://, http:// or https://");
      }
      try {
        return URI.create(source);
      } catch (IllegalArgumentException e) {
        throw new UnsafeModelException("'" + source + "' is not a valid URI: " + e.getMessage());
      }
    }
    return Path.of(source).toAbsolutePath().normalize().toUri();
  }

  /** Copies a local model directory, holding the size and entry caps and refusing links. */
  private void copyTree(Path from, Path to) throws IOException {
    long[] bytes = {0};
    int[] entries = {0};
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (++entries[0] > policy.maxEntries()) {
          throw new UnsafeModelException(from + " has more than " + policy.maxEntries() + " entries");
        }
        if (Files.isSymbolicLink(p)) {
          throw new UnsafeModelException(from.relativize(p) + " is a symbolic link; a model directory may hold none");
        }
        Path dest = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectories(dest);
        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          bytes[0] += Files.size(p);
          if (bytes[0] > policy.maxBytes()) {
            throw new UnsafeModelException("the model is larger than the cap of " + policy.maxBytes() + " bytes");
          }
          Files.copy(p, dest, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }

  /** Renames the staged model onto the target, or moves its entries into an existing empty one (a mount point). */
  private static void moveInto(Path model, Path dir) throws IOException {
    if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      try {
        Files.move(model, dir, StandardCopyOption.ATOMIC_MOVE);
        return;
      } catch (FileAlreadyExistsException e) {
        throw new UnsafeModelException(dir + " appeared while the model was fetched");
      }
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(model)) {
      for (Path entry : entries) {
        Files.move(entry, dir.resolve(entry.getFileName().toString()));
      }
    }
  }

  private static boolean emptyDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return false;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      return !entries.iterator().hasNext();
    }
  }
}
