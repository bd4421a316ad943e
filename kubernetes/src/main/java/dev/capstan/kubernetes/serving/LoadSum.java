package dev.capstan.kubernetes.serving;

import dev.capstan.core.serving.RevisionKey;
import dev.capstan.core.serving.RevisionLoad;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A revision's load across every gateway pod: each pod sees only the requests it carries, so the
 * autoscaler is fed the sum of their concurrency, request rate and waiting requests, as of
 * {@code now}.
 */
final class LoadSum {
  private LoadSum() {}

  static List<RevisionLoad> of(Collection<List<RevisionLoad>> perGateway, Instant now) {
    Map<RevisionKey, double[]> sums = new LinkedHashMap<>();
    for (List<RevisionLoad> loads : perGateway) {
      for (RevisionLoad l : loads) {
        double[] s = sums.computeIfAbsent(l.key(), k -> new double[3]);
        s[0] += l.averageConcurrency();
        s[1] += l.requestsPerSecond();
        s[2] += l.waiting();
      }
    }
    return sums.entrySet().stream()
        .map(e -> new RevisionLoad(e.getKey(), now, e.getValue()[0], e.getValue()[1], (int) Math.min(Integer.MAX_VALUE, e.getValue()[2])))
        .toList();
  }
}
