package dev.capstan.local.registry;

import dev.capstan.api.registry.RegistryLimits;
import dev.capstan.core.registry.ArtifactPath;
import dev.capstan.core.registry.ArtifactSource;
import dev.capstan.core.registry.RegistryException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The files of a directory as an artifact source: every regular file under it, by its relative
 * '/'-separated path. Symbolic links are refused (they could point anywhere), and so is a
 * directory with more than {@link RegistryLimits#FILES} files or none.
 */
final class DirectorySource implements ArtifactSource {
  private final Path root;
  private final List<Entry> entries;

  private DirectorySource(Path root, List<Entry> entries) {
    this.root = root;
    this.entries = entries;
  }

  /** Lists the directory; a missing directory, a link or too many files is refused with the reason. */
  static DirectorySource of(Path dir) {
    if (!dir.isAbsolute()) {
      throw invalid("source must be an absolute directory path (is '" + dir + "')");
    }
    Path root = dir.normalize();
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      throw invalid("source " + root + " is not a directory");
    }
    List<Entry> entries = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk.sorted()::iterator) {
        if (Files.isSymbolicLink(p)) {
          throw invalid("source " + root + " holds a symbolic link (" + root.relativize(p) + "); copy the files instead");
        }
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
          if (entries.size() == RegistryLimits.FILES) {
            throw invalid("source " + root + " holds more than " + RegistryLimits.FILES + " files");
          }
          String rel = root.relativize(p).toString().replace(java.io.File.separatorChar, '/');
          entries.add(new Entry(ArtifactPath.check(rel, "source file"), Files.size(p)));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + root + ": " + e.getMessage(), e);
    }
    if (entries.isEmpty()) {
      throw invalid("source " + root + " holds no files");
    }
    return new DirectorySource(root, List.copyOf(entries));
  }

  @Override
  public List<Entry> entries() {
    return entries;
  }

  @Override
  public InputStream open(String path) throws IOException {
    Path file = root.resolve(ArtifactPath.check(path, "path")).normalize();
    if (!file.startsWith(root)) {
      throw new IOException(path + " is outside " + root);
    }
    return Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS);
  }

  private static RegistryException invalid(String message) {
    return new RegistryException(RegistryException.Reason.INVALID, message);
  }
}
