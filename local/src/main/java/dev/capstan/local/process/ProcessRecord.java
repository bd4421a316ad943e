package dev.capstan.local.process;

import java.util.List;

/**
 * What the server remembers of one replica process, on disk: enough to find it again after a
 * restart (PID plus the process's start time, so a recycled PID is never mistaken for it), the
 * attempt it was started for, the GPUs it holds and the incarnation (marker and cgroup) its whole
 * tree carries. A PID of 0 stands for a process that is known to have exited already;
 * {@code commandProblem}, when set, says why its command could not be executed at all.
 */
public record ProcessRecord(long pid, long startMillis, int attempt, List<Integer> gpus, Incarnation incarnation,
    String commandProblem) {
  public ProcessRecord {
    gpus = gpus == null ? List.of() : List.copyOf(gpus);
  }

  public ProcessRecord(long pid, long startMillis, int attempt, List<Integer> gpus, Incarnation incarnation) {
    this(pid, startMillis, attempt, gpus, incarnation, null);
  }

  boolean isOf(Incarnation other) {
    return incarnation != null && other != null && incarnation.uid().equals(other.uid());
  }
}
