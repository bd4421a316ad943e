package dev.capstan.artifacts;

import dev.capstan.core.registry.ArtifactException;
import dev.capstan.core.registry.ArtifactException.Reason;
import dev.capstan.core.registry.ArtifactPath;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Every regular file under a directory, as an artifact source. A symbolic link or a special file
 * (socket, pipe, device) is refused rather than followed, so a put never reads outside the
 * directory; every relative path must pass {@link ArtifactPath}.
 */
public final class DirectorySource implements OpenedSource {
  private final Path root;
  private final List<Entry> entries;

  private DirectorySource(Path root, List<Entry> entries) {
    this.root = root;
    this.entries = entries;
  }

  /** Lists the directory now; throws {@link ArtifactException} when it is missing, empty or holds a link. */
  public static DirectorySource of(Path dir) {
    Path root = dir.toAbsolutePath().normalize();
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      throw new ArtifactException(Reason.NOT_FOUND, root + " is not a directory");
    }
    var entries = new ArrayList<Entry>();
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.naturalOrder()).toList()) {
        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        String relative = relative(root, path);
        if (attributes.isDirectory()) {
          continue;
        }
        if (attributes.isSymbolicLink()) {
          throw new ArtifactException(Reason.INVALID_PATH, relative + ": is a symbolic link; an artifact holds regular files only");
        }
        if (!attributes.isRegularFile()) {
          throw new ArtifactException(Reason.INVALID_PATH, relative + ": is not a regular file");
        }
        entries.add(new Entry(ArtifactPath.check(relative, root.toString()), attributes.size()));
      }
    } catch (IOException | UncheckedIOException e) {
      throw new ArtifactException(Reason.UNAVAILABLE, "cannot list " + root + ": " + e.getMessage(), e);
    }
    if (entries.isEmpty()) {
      throw new ArtifactException(Reason.NOT_FOUND, root + " holds no files");
    }
    return new DirectorySource(root, List.copyOf(entries));
  }

  @Override
  public List<Entry> entries() {
    return entries;
  }

  @Override
  public InputStream open(String path) throws IOException {
    ArtifactPath.check(path, "path");
    Path file = root.resolve(path).normalize();
    if (!file.startsWith(root)) {
      throw new ArtifactException(Reason.INVALID_PATH, path + ": is outside " + root);
    }
    return Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS);
  }

  @Override
  public void close() {
    // nothing is held open between reads
  }

  private static String relative(Path root, Path path) {
    var out = new StringBuilder();
    for (Path part : root.relativize(path)) {
      if (!out.isEmpty()) {
        out.append('/');
      }
      out.append(part);
    }
    return out.toString();
  }
}
