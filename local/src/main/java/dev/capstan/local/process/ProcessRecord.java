package dev.capstan.local.process;

import java.util.List;

/**
 * What the server remembers of one replica process, on disk: enough to find it again after a
 * restart (PID plus the process's start time, so a recycled PID is never mistaken for it), the
 * attempt it was started for and the GPUs it holds.
 */
public record ProcessRecord(long pid, long startMillis, int attempt, List<Integer> gpus) {
  public ProcessRecord {
    gpus = gpus == null ? List.of() : List.copyOf(gpus);
  }
}
