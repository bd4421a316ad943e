package dev.capstan.local.store;

import dev.capstan.local.OwnerOnly;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Store files that could not be read as objects, set aside under {@code store/.quarantine/} (same
 * relative path, with a {@code .reason} note beside each) so that the rest of the store is served.
 * They stay listed, in {@code capstan get} and at every start, until the owner deletes them.
 */
public final class Quarantine {
  static final String DIR = ".quarantine";
  private static final String NOTE = ".reason";

  /** One set-aside file: where it was in the store, where it lies now, and why it was unreadable. */
  public record Entry(String file, String movedTo, String reason) {}

  private final Path storeRoot;
  private final Path dir;
  private final List<Entry> entries = new ArrayList<>();

  Quarantine(Path storeRoot) {
    this.storeRoot = storeRoot;
    this.dir = storeRoot.resolve(DIR);
    entries.addAll(readExisting());
    entries.forEach(e -> System.err.println("store: " + e.file() + " was set aside earlier (" + e.reason() + "); it lies at "
        + e.movedTo() + " until deleted"));
  }

  static boolean holds(Path storeRoot, Path file) {
    return file.startsWith(storeRoot.resolve(DIR));
  }

  /** Moves {@code file} aside and records why; the server log says so with both paths. */
  void add(Path file, String reason) {
    String relative = storeRoot.relativize(file).toString();
    Path target = dir.resolve(relative);
    try {
      OwnerOnly.directories(target.getParent());
      for (int n = 1; Files.exists(target); n++) {
        target = dir.resolve(relative + "." + n);
      }
      Files.move(file, target);
      DurableFiles.write(note(target), (relative + "\n" + reason).getBytes(StandardCharsets.UTF_8));
    } catch (IOException | UncheckedIOException e) {
      reason = reason + "; it could not be moved aside (" + e.getMessage() + ") and is skipped";
      target = file;
    }
    System.err.println(Instant.now() + " store: cannot read " + file + " (" + reason + "); set aside at " + target
        + " and serving the rest");
    entries.add(new Entry(relative, target.toString(), reason));
  }

  /** The set-aside files of one kind ({@code trainingjobs}), oldest first. */
  public List<Entry> list(String plural) {
    return entries.stream().filter(e -> e.file().startsWith(plural + "/")).toList();
  }

  private List<Entry> readExisting() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().endsWith(NOTE)).sorted()
          .map(this::existing).toList();
    } catch (IOException e) {
      System.err.println("store: cannot list " + dir + ": " + e.getMessage());
      return List.of();
    }
  }

  private Entry existing(Path file) {
    String relative = dir.relativize(file).toString();
    String reason = "unreadable";
    try {
      String[] note = Files.readString(note(file), StandardCharsets.UTF_8).split("\n", 2);
      relative = note[0];
      reason = note.length > 1 ? note[1] : reason;
    } catch (IOException e) {
      // no note: the relative path and a generic reason still say enough
    }
    return new Entry(relative, file.toString(), reason);
  }

  private static Path note(Path target) {
    return target.resolveSibling(target.getFileName() + NOTE);
  }
}
