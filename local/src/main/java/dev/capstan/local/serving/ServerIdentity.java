package dev.capstan.local.serving;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * This process as {@code /proc} names it: its PID and its start time in clock ticks (field 22 of
 * {@code /proc/PID/stat}), which together tell it from a later process given the same PID.
 */
record ServerIdentity(long pid, String startTicks) {
  /** This process; empty where {@code /proc} cannot be read (not Linux). */
  static Optional<ServerIdentity> current() {
    return of(ProcessHandle.current().pid());
  }

  /** The process with this PID now; empty when there is none or {@code /proc} cannot be read. */
  static Optional<ServerIdentity> of(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
      String[] afterName = stat.substring(stat.lastIndexOf(") ") + 2).trim().split(" ");
      return afterName.length > 19 ? Optional.of(new ServerIdentity(pid, afterName[19])) : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
