package dev.capstan.cli.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Kills a replica's trainer the way a crash would (SIGKILL), as the demo's fault: the process is
 * found on this machine through the environment every local replica carries
 * ({@code CAPSTAN_JOB_NAMESPACE}, {@code CAPSTAN_JOB_NAME}, {@code CAPSTAN_REPLICA_ROLE},
 * {@code CAPSTAN_REPLICA_INDEX}), and is the trainer JVM itself, not the wrapper that waits on it.
 */
final class ReplicaSignals {
  private ReplicaSignals() {}

  /** SIGKILLs the replica's trainer; returns its PID, or empty when none runs. */
  static Optional<Long> kill(String namespace, String job, String role, int index) {
    List<String> wanted = List.of("CAPSTAN_JOB_NAMESPACE=" + namespace, "CAPSTAN_JOB_NAME=" + job,
        "CAPSTAN_REPLICA_ROLE=" + role, "CAPSTAN_REPLICA_INDEX=" + index);
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        try {
          List<String> env = List.of(new String(Files.readAllBytes(p.resolve("environ")), StandardCharsets.UTF_8).split("\0"));
          String cmdline = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
          if (env.containsAll(wanted) && cmdline.contains("dev.capstan.cli.Main")) {
            long pid = Long.parseLong(p.getFileName().toString());
            Optional<ProcessHandle> handle = ProcessHandle.of(pid);
            if (handle.isPresent() && handle.get().destroyForcibly()) {
              return Optional.of(pid);
            }
          }
        } catch (IOException e) {
          // the process ended while we looked
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot list /proc to find the replica to kill: " + e.getMessage(), e);
    }
    return Optional.empty();
  }
}
