package dev.capstan.train.checkpoint;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Checkpoints in one directory: {@code ckpt-<step>.bin} files and a {@code manifest.json} listing
 * the complete ones, newest last. A save writes a temporary file, fsyncs it, renames it into place,
 * fsyncs the directory, and only then rewrites the manifest the same way; so a crash or a full disk
 * at any moment leaves the previous checkpoint and manifest intact. Loading takes the newest
 * checkpoint that verifies, falling back to older ones (and to a directory scan when the manifest
 * itself is damaged).
 */
public final class CheckpointStore {
  /** Writes {@code bytes} to {@code file} durably; replaceable in tests to simulate a full disk. */
  @FunctionalInterface
  public interface DurableWriter {
    void write(Path file, byte[] bytes) throws IOException;
  }

  /** A checkpoint that loaded and verified. */
  public record Loaded(TrainingState state, Path file) {}

  private static final String MANIFEST = "manifest.json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final int keep;
  private final DurableWriter writer;
  private final Consumer<String> log;

  public CheckpointStore(Path dir, int keep, Consumer<String> log) {
    this(dir, keep, CheckpointStore::writeDurably, log);
  }

  public CheckpointStore(Path dir, int keep, DurableWriter writer, Consumer<String> log) {
    this.dir = dir;
    this.keep = keep;
    this.writer = writer;
    this.log = log;
  }

  /** The newest checkpoint that verifies and matches {@code fingerprint}, if any. */
  public Optional<Loaded> loadLatest(String fingerprint) {
    for (long step : candidates()) {
      Path file = fileFor(step);
      try {
        TrainingState state = TrainingState.decode(Files.readAllBytes(file));
        if (!state.fingerprint().equals(fingerprint)) {
          log.accept("checkpoint " + file + " is of another model (" + state.fingerprint() + "); skipping it");
          continue;
        }
        if (state.step() != step) {
          log.accept("checkpoint " + file + " says step " + state.step() + "; skipping it");
          continue;
        }
        return Optional.of(new Loaded(state, file));
      } catch (IOException e) {
        log.accept("checkpoint " + file + " is unusable (" + e.getMessage() + "); trying the previous one");
      }
    }
    return Optional.empty();
  }

  /**
   * Saves {@code state} atomically. On failure (e.g. no space left) the previous checkpoint and
   * manifest stay as they were, the error is logged, and false is returned: training goes on.
   */
  public boolean save(TrainingState state) {
    Path target = fileFor(state.step());
    Path temporary = dir.resolve("." + target.getFileName() + ".tmp");
    try {
      Files.createDirectories(dir);
      writer.write(temporary, state.encode());
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      syncDirectory();
      List<Long> steps = new ArrayList<>(readManifest().orElseGet(this::scan).stream()
          .filter(s -> s < state.step()).toList());
      steps.add(state.step());
      List<Long> kept = steps.subList(Math.max(0, steps.size() - keep), steps.size());
      Path manifestTemporary = dir.resolve("." + MANIFEST + ".tmp");
      writer.write(manifestTemporary, JSON.writeValueAsBytes(Map.of("format", "capstan-checkpoints/v1",
          "steps", kept)));
      Files.move(manifestTemporary, dir.resolve(MANIFEST), StandardCopyOption.ATOMIC_MOVE,
          StandardCopyOption.REPLACE_EXISTING);
      syncDirectory();
      prune(kept);
      return true;
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(temporary);
        Files.deleteIfExists(dir.resolve("." + MANIFEST + ".tmp"));
      } catch (IOException ignored) {
        // the temporary file is not listed anywhere; a later save replaces it
      }
      List<Long> previous = readManifest().orElse(List.of());
      log.accept("error: checkpoint at step " + state.step() + " failed (" + e + "); "
          + (previous.isEmpty() ? "no earlier checkpoint" : "checkpoint at step " + previous.getLast() + " kept"));
      return false;
    }
  }

  public Path fileFor(long step) {
    return dir.resolve(String.format("ckpt-%012d.bin", step));
  }

  /** Steps to try, newest first: the manifest's, else every checkpoint file found. */
  private List<Long> candidates() {
    List<Long> steps = readManifest().orElseGet(this::scan);
    return steps.stream().sorted(Comparator.reverseOrder()).toList();
  }

  private Optional<List<Long>> readManifest() {
    Path manifest = dir.resolve(MANIFEST);
    if (!Files.isRegularFile(manifest)) {
      return Optional.empty();
    }
    try {
      Map<?, ?> map = JSON.readValue(manifest.toFile(), Map.class);
      List<Long> steps = ((List<?>) map.get("steps")).stream().map(v -> ((Number) v).longValue()).toList();
      return Optional.of(steps);
    } catch (IOException | RuntimeException e) {
      log.accept("checkpoint manifest " + manifest + " is unreadable (" + e.getMessage() + "); scanning the directory");
      return Optional.empty();
    }
  }

  private List<Long> scan() {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("ckpt-\\d{12}\\.bin"))
          .map(n -> Long.parseLong(n.substring(5, 17))).sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private void prune(List<Long> kept) {
    for (long step : scan()) {
      if (!kept.contains(step)) {
        try {
          Files.deleteIfExists(fileFor(step));
        } catch (IOException e) {
          log.accept("could not delete old checkpoint " + fileFor(step) + ": " + e.getMessage());
        }
      }
    }
  }

  private void syncDirectory() {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException ignored) {
      // some filesystems cannot open or sync directories; the rename is still atomic there
    }
  }

  static void writeDurably(Path file, byte[] bytes) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
  }
}
