package dev.capstan.local.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A cgroup (v2) per replica where this host lets the server make one beside itself: then a
 * replica's whole tree, including processes that cleared their environment, is found in its
 * {@code cgroup.procs} and killed at once through {@code cgroup.kill}. Where cgroups are not
 * writable (a non-root user without a delegated subtree), replicas run without one: in a PID
 * namespace of their own where the host allows it ({@link ReplicaPidNamespaces}), else found by
 * the environment marker and process group alone.
 */
final class ReplicaCgroups {
  private final Optional<Path> root;

  private ReplicaCgroups(Optional<Path> root) {
    this.root = root;
  }

  /** Replicas get no cgroup; their processes are found by marker and process group. */
  static ReplicaCgroups none() {
    return new ReplicaCgroups(Optional.empty());
  }

  /** Cgroups under the server's own cgroup when it may create them there, else none. */
  static ReplicaCgroups detect() {
    return new ReplicaCgroups(ownCgroup().filter(ReplicaCgroups::canCreateChildren));
  }

  boolean available() {
    return root.isPresent();
  }

  /** The directory replicas' cgroups are made in, or {@code none} when there is none. */
  String root() {
    return root.map(Path::toString).orElse("none");
  }

  Optional<Path> pathFor(String uid) {
    return root.map(r -> r.resolve("capstan-" + uid));
  }

  /** Makes the cgroup; false when the host refused (the replica then runs without one). */
  static boolean create(Path cgroup) {
    try {
      Files.createDirectories(cgroup);
      return true;
    } catch (IOException | SecurityException e) {
      return false;
    }
  }

  static List<Long> members(Path cgroup) {
    List<Long> pids = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(cgroup.resolve("cgroup.procs"), StandardCharsets.US_ASCII)) {
        if (!line.isBlank()) {
          pids.add(Long.parseLong(line.trim()));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return List.of();
    }
    return pids;
  }

  /** SIGKILL to every member: at once through cgroup.kill where the kernel has it. */
  static void kill(Path cgroup) {
    Path killFile = cgroup.resolve("cgroup.kill");
    if (Files.exists(killFile)) {
      try {
        Files.writeString(killFile, "1");
        return;
      } catch (IOException e) {
        // fall back to signalling each member
      }
    }
    members(cgroup).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
  }

  /** Removes an empty cgroup; one that still holds a process is left for the next stop. */
  static void remove(Path cgroup) {
    try {
      Files.deleteIfExists(cgroup);
    } catch (IOException e) {
      // not empty yet (or already gone)
    }
  }

  private static Optional<Path> ownCgroup() {
    try {
      Optional<Path> mount = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
          .map(line -> line.split(" "))
          .filter(f -> f.length > 9 && "cgroup2".equals(f[f.length - 3]))
          .map(f -> Path.of(f[4]))
          .findFirst();
      Optional<String> own = Files.readAllLines(Path.of("/proc/self/cgroup")).stream()
          .filter(line -> line.startsWith("0::"))
          .map(line -> line.substring(3))
          .findFirst();
      if (mount.isEmpty() || own.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(mount.get().resolve(own.get().replaceFirst("^/", "")));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static boolean canCreateChildren(Path dir) {
    Path probe = dir.resolve("capstan-probe-" + ProcessHandle.current().pid());
    try {
      Files.createDirectory(probe);
      boolean usable = Files.exists(probe.resolve("cgroup.procs"));
      Files.delete(probe);
      return usable;
    } catch (IOException | SecurityException e) {
      return false;
    }
  }
}
