package dev.capstan.local.serving;

import dev.capstan.core.serving.ReplicaEndpoint;
import java.util.Optional;

/**
 * One serving replica as observed now: its index in the revision, where it listens, how far it
 * got, the PID of its wrapper process while it runs (0 otherwise), how often it was restarted
 * and, once it failed, why (its exit and its log's last line).
 */
public record ReplicaState(int index, ReplicaEndpoint endpoint, Phase phase, long pid, int restarts, Optional<String> failure) {
  /** A replica's lifecycle as the serving controller sees it. */
  public enum Phase {
    /** Its process is starting or loading the model; not ready yet. */
    Starting,
    /** Its process answers {@code /v2/health/ready}: it may take traffic. */
    Ready,
    /** Its process exited (or never became ready) and waits to be restarted. */
    Failed,
    /** It is being drained and stopped. */
    Stopping
  }

  public boolean ready() {
    return phase == Phase.Ready;
  }
}
