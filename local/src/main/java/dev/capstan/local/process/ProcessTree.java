package dev.capstan.local.process;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Everything that belongs to some incarnations of a replica: the wrapper's process group (each
 * replica is a session leader) and its descendants, every process carrying one of their markers
 * and every member of their cgroups. Stopping it sends SIGTERM, waits until the deadline, then
 * SIGKILLs until nothing is left, so children that called {@code setsid} or were re-parented to
 * PID 1 end with it.
 */
final class ProcessTree {
  private static final int KILL_ROUNDS = 200;

  private final Optional<ProcessHandle> leader;
  private final long processGroup;
  private final List<Incarnation> incarnations;

  /**
   * @param leader the wrapper, when it is alive and is the recorded process
   * @param processGroup the wrapper's process group, 0 when no wrapper is recorded
   */
  ProcessTree(Optional<ProcessHandle> leader, long processGroup, List<Incarnation> incarnations) {
    this.leader = leader;
    this.processGroup = processGroup;
    this.incarnations = List.copyOf(incarnations);
  }

  /** SIGTERM to every member, SIGKILL to whatever is left at {@code killAt}; removes the cgroups. */
  void stop(Instant killAt) {
    if (Instant.now().isBefore(killAt)) {
      signalGroup("TERM");
      members().forEach(ProcessHandle::destroy);
      while (Instant.now().isBefore(killAt) && anyAlive()) {
        sleep(20);
      }
    }
    kill();
  }

  /** SIGKILL until no member is left (bounded, so a fork loop cannot hold a stop forever). */
  void kill() {
    for (int round = 0; round < KILL_ROUNDS; round++) {
      incarnations.forEach(i -> i.cgroupDir().ifPresent(ReplicaCgroups::kill));
      signalGroup("KILL");
      List<ProcessHandle> left = members(); // one scan of /proc per round
      if (left.isEmpty()) {
        break;
      }
      left.forEach(ProcessHandle::destroyForcibly);
      sleep(20);
    }
    incarnations.forEach(i -> i.cgroupDir().ifPresent(ReplicaCgroups::remove));
  }

  private boolean anyAlive() {
    return !members().isEmpty();
  }

  private List<ProcessHandle> members() {
    Set<Long> pids = new LinkedHashSet<>();
    leader.filter(ProcessHandle::isAlive).ifPresent(h -> {
      pids.add(h.pid());
      h.descendants().forEach(d -> pids.add(d.pid()));
    });
    pids.addAll(MarkedProcesses.of(incarnations));
    incarnations.forEach(i -> i.cgroupDir().ifPresent(dir -> pids.addAll(ReplicaCgroups.members(dir))));
    List<ProcessHandle> handles = new ArrayList<>();
    for (long pid : pids) {
      ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(ProcessTree::notZombie).ifPresent(handles::add);
    }
    return handles;
  }

  private static boolean notZombie(ProcessHandle h) {
    try {
      String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc", Long.toString(h.pid()), "stat"));
      return !stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private void signalGroup(String signal) {
    if (processGroup > 0) {
      run("kill", "-s", signal, "--", "-" + processGroup);
    }
  }

  private static int run(String... argv) {
    try {
      Process p = new ProcessBuilder(argv).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      return p.waitFor();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
