package dev.capstan.local.process;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Signals a replica's whole process tree: its process group (each replica is a session leader)
 * and every descendant found at the time, so children that left the group are stopped too.
 */
final class ProcessTree {
  private ProcessTree() {}

  /** SIGTERM to the tree, then SIGKILL to whatever is left after the grace period. */
  static void stop(long pid, Duration grace) {
    Optional<ProcessHandle> leader = ProcessHandle.of(pid);
    List<ProcessHandle> members = new ArrayList<>();
    leader.ifPresent(h -> {
      members.add(h);
      h.descendants().forEach(members::add);
    });
    signalGroup(pid, "TERM");
    members.forEach(ProcessHandle::destroy);
    Instant deadline = Instant.now().plus(grace);
    while (Instant.now().isBefore(deadline) && (members.stream().anyMatch(ProcessHandle::isAlive) || groupAlive(pid))) {
      sleep(20);
    }
    signalGroup(pid, "KILL");
    members.forEach(ProcessHandle::destroyForcibly);
    Instant hardDeadline = Instant.now().plusSeconds(5);
    while (Instant.now().isBefore(hardDeadline) && members.stream().anyMatch(ProcessHandle::isAlive)) {
      sleep(20);
    }
  }

  private static boolean groupAlive(long pgid) {
    return run("kill", "-0", "--", "-" + pgid) == 0;
  }

  private static void signalGroup(long pgid, String signal) {
    run("kill", "-s", signal, "--", "-" + pgid);
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
