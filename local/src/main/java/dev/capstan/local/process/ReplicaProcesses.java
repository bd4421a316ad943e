package dev.capstan.local.process;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.api.codec.Manifests;
import dev.capstan.local.store.DurableFiles;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Starts, finds and stops replica processes. Each replica runs in its own session and process
 * group under a small shell wrapper that writes the exit code to a file when the command ends,
 * so an exit is known even when it happened while the server was down. The record (PID and start
 * time) is written durably before {@link #start} returns.
 */
public final class ReplicaProcesses {
  /** The wrapper: run the command, then record its exit status (128+N after signal N). */
  private static final String WRAPPER =
      "exitfile=\"$1\"; shift; \"$@\"; code=$?; echo $code > \"$exitfile.tmp\" && mv \"$exitfile.tmp\" \"$exitfile\"; exit $code";

  /** One replica process as seen now. */
  public record Status(ProcessRecord record, boolean alive, OptionalInt exitCode) {}

  public void start(Path dir, int attempt, List<Integer> gpus, LaunchCommand launch) {
    try {
      Files.createDirectories(dir);
      Files.createDirectories(launch.logFile().getParent());
      Path exitFile = exitFile(dir, attempt);
      Files.deleteIfExists(exitFile);
      appendMarker(launch.logFile(), attempt);
      List<String> argv = new ArrayList<>(List.of("setsid", "/bin/sh", "-c", WRAPPER, "capstan-replica", exitFile.toString()));
      argv.addAll(launch.argv());
      ProcessBuilder pb = new ProcessBuilder(argv)
          .directory(launch.workingDir().toFile())
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(launch.logFile().toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      pb.environment().putAll(launch.env());
      Process process = pb.start();
      long startMillis = process.info().startInstant().map(Instant::toEpochMilli).orElse(0L);
      ProcessRecord record = new ProcessRecord(process.pid(), startMillis, attempt, gpus);
      DurableFiles.write(dir.resolve("process.json"), Manifests.json().writeValueAsBytes(record));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start replica in " + dir + ": " + e.getMessage(), e);
    }
  }

  public Optional<Status> inspect(Path dir) {
    Path file = dir.resolve("process.json");
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    ProcessRecord record;
    try {
      JsonNode node = Manifests.json().readTree(file.toFile());
      record = Manifests.json().treeToValue(node, ProcessRecord.class);
    } catch (IOException e) {
      return Optional.empty();
    }
    boolean alive = isSameProcessAlive(record);
    OptionalInt exit = alive ? OptionalInt.empty() : readExit(exitFile(dir, record.attempt()));
    return Optional.of(new Status(record, alive, exit));
  }

  /** Stops the process tree of this replica (if it runs) and forgets the record. */
  public void stop(Path dir, Duration grace) {
    inspect(dir).ifPresent(s -> {
      if (s.alive()) {
        ProcessTree.stop(s.record().pid(), grace);
      }
    });
    DurableFiles.delete(dir.resolve("process.json"));
  }

  private static boolean isSameProcessAlive(ProcessRecord record) {
    Optional<ProcessHandle> handle = ProcessHandle.of(record.pid());
    if (handle.isEmpty() || !handle.get().isAlive()) {
      return false;
    }
    long start = handle.get().info().startInstant().map(Instant::toEpochMilli).orElse(record.startMillis());
    // Start times read through /proc are rounded to clock ticks; allow that much difference.
    return Math.abs(start - record.startMillis()) < 1000;
  }

  private static OptionalInt readExit(Path file) {
    try {
      return OptionalInt.of(Integer.parseInt(Files.readString(file, StandardCharsets.UTF_8).trim()));
    } catch (IOException | NumberFormatException e) {
      return OptionalInt.empty();
    }
  }

  private static Path exitFile(Path dir, int attempt) {
    return dir.resolve("exit-" + attempt);
  }

  private static void appendMarker(Path log, int attempt) throws IOException {
    if (attempt > 0) {
      Files.writeString(log, "--- capstan: attempt " + attempt + " ---\n", StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    }
  }
}
