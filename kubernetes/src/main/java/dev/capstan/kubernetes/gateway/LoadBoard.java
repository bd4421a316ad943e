package dev.capstan.kubernetes.gateway;

import dev.capstan.core.serving.GatewayFeedback;
import dev.capstan.core.serving.RevisionKey;
import dev.capstan.core.serving.RevisionLoad;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The gateway pod's side of the autoscaler's feedback in cluster mode: the embedded gateway reports
 * into it as it would to a local autoscaler, and the operator's leader reads it over HTTP
 * ({@link LoadEndpoint}). It keeps the last load report and the most recent scale-from-zero
 * requests, each event numbered, and wakes a reader waiting for anything after a number at once,
 * so a request held at zero reaches the autoscaler within one round trip.
 */
public final class LoadBoard implements GatewayFeedback {
  /** Scale-from-zero requests kept for readers that fall behind; older ones are dropped. */
  static final int KEPT_REQUESTS = 1024;

  private record Numbered(long sequence, RevisionKey key) {}

  private final Deque<Numbered> requests = new ArrayDeque<>();
  private List<RevisionLoad> loads = List.of();
  private long sequence;

  @Override
  public synchronized void reportLoad(List<RevisionLoad> loads) {
    this.loads = List.copyOf(loads);
    sequence++;
    notifyAll();
  }

  @Override
  public synchronized void scaleFromZero(RevisionKey revision) {
    sequence++;
    requests.addLast(new Numbered(sequence, revision));
    if (requests.size() > KEPT_REQUESTS) {
      requests.removeFirst();
    }
    notifyAll();
  }

  /**
   * The report as of now once something happened after {@code after}, waiting up to {@code wait}
   * for it; after the wait, the report as it is. Scale-from-zero requests are those numbered after
   * {@code after} (a reader that was away long enough to miss some still sees them in the
   * {@code waiting} figure of the loads).
   */
  public synchronized LoadReport after(long after, Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (sequence <= after) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    List<RevisionKey> since = requests.stream().filter(r -> r.sequence() > after).map(Numbered::key).distinct().toList();
    return new LoadReport(sequence, loads, since);
  }
}
