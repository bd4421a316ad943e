package dev.capstan.local.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Finds the processes of incarnations by the marker in their environment, read from
 * {@code /proc/<pid>/environ}. The marker is inherited by every descendant, also by those that
 * left the session or were re-parented to PID 1, and reading it needs no privilege for processes
 * of the same user. A process that cleared its whole environment is found through its cgroup, as
 * a descendant of the replica's wrapper (which, where the replica has a PID namespace, is the
 * subreaper of every orphan in it) or through its process group instead.
 */
final class MarkedProcesses {
  private static final Path PROC = Path.of("/proc");

  private MarkedProcesses() {}

  /** PIDs of live processes (zombies have no environment) carrying any of these markers. */
  static List<Long> of(Collection<Incarnation> incarnations) {
    if (incarnations.isEmpty()) {
      return List.of();
    }
    List<String> needles = incarnations.stream().map(i -> "\0" + Incarnation.MARKER + "=" + i.uid() + "\0").toList();
    long self = ProcessHandle.current().pid();
    List<Long> found = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, MarkedProcesses::isPid)) {
      for (Path entry : entries) {
        long pid = Long.parseLong(entry.getFileName().toString());
        if (pid != self && carriesAny(entry, needles)) {
          found.add(pid);
        }
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot list " + PROC, e);
    }
    return found;
  }

  private static boolean carriesAny(Path proc, List<String> needles) {
    String environ;
    try {
      environ = "\0" + new String(Files.readAllBytes(proc.resolve("environ")), StandardCharsets.ISO_8859_1);
    } catch (IOException | SecurityException e) {
      return false; // it ended while we looked, or belongs to another user
    }
    if (!environ.endsWith("\0")) {
      environ = environ + "\0";
    }
    for (String needle : needles) {
      if (environ.contains(needle)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isPid(Path entry) {
    String name = entry.getFileName().toString();
    return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
  }
}
