package dev.capstan.local.process;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PID namespace per replica, for hosts where the server may not make a cgroup: the replica's
 * wrapper runs as the init of a namespace of its own ({@code unshare --pid --fork --kill-child}),
 * so it is the subreaper of everything the replica starts, and when it exits the kernel kills
 * every process left in the namespace, also those that cleared their environment or called
 * {@code setsid}. As root a plain PID namespace is made; otherwise one inside a user namespace
 * that maps the server's user to itself (this needs unprivileged user namespaces). Which of the
 * two this host allows is found once, by running {@code true} under each; where neither works
 * replicas run without one and are found by their marker and process group alone.
 *
 * <p>Signals other than SIGKILL that reach a namespace's init from outside are dropped unless it
 * handles them, so a SIGTERM to the replica's process group reaches its command but not its
 * wrapper, which then records the command's exit code as before. {@code unshare} itself waits
 * through SIGTERM and exits with its child's status; a SIGKILL to it kills the namespace's init
 * ({@code --kill-child}), and with it the namespace. {@code /proc} stays the host's, so PIDs that
 * a replica reads from {@code /proc/self} are the server's view of them.
 */
final class ReplicaPidNamespaces {
  /** As root (or with CAP_SYS_ADMIN): a PID namespace alone. */
  static final List<String> PLAIN = List.of("unshare", "--pid", "--fork", "--kill-child");
  /** Without privilege: a user namespace mapping the current user to itself, and a PID namespace in it. */
  static final List<String> IN_USER_NAMESPACE =
      List.of("unshare", "--user", "--map-current-user", "--pid", "--fork", "--kill-child");

  private static volatile ReplicaPidNamespaces detected;

  private final List<String> prefix;

  private ReplicaPidNamespaces(List<String> prefix) {
    this.prefix = List.copyOf(prefix);
  }

  /** Replicas get no PID namespace. */
  static ReplicaPidNamespaces none() {
    return new ReplicaPidNamespaces(List.of());
  }

  /** The first kind of namespace this host lets the server's user make, found once per server. */
  static ReplicaPidNamespaces detect() {
    ReplicaPidNamespaces known = detected;
    if (known == null) {
      known = probe(List.of());
      detected = known;
    }
    return known;
  }

  /**
   * The first kind of namespace that {@code runner} (empty for the server itself, or a command
   * such as {@code setpriv} that runs the rest as another user) can make, else none.
   */
  static ReplicaPidNamespaces probe(List<String> runner) {
    for (List<String> candidate : List.of(PLAIN, IN_USER_NAMESPACE)) {
      List<String> argv = new ArrayList<>(runner);
      argv.addAll(candidate);
      argv.add("true");
      if (succeeds(argv)) {
        return new ReplicaPidNamespaces(candidate);
      }
    }
    return none();
  }

  boolean available() {
    return !prefix.isEmpty();
  }

  /** The command that runs the rest of an argv as the init of a new PID namespace; empty when none. */
  List<String> prefix() {
    return prefix;
  }

  /** For the server's log: which kind of namespace replicas get. */
  String describe() {
    if (prefix.equals(IN_USER_NAMESPACE)) {
      return "a PID namespace each, inside a user namespace (" + String.join(" ", prefix) + ")";
    }
    return available() ? "a PID namespace each (" + String.join(" ", prefix) + ")" : "no PID namespace";
  }

  private static boolean succeeds(List<String> argv) {
    try {
      Process p = new ProcessBuilder(argv).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0;
    } catch (IOException e) {
      return false; // no unshare on this host
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
