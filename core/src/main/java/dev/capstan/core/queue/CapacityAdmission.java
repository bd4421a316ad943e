package dev.capstan.core.queue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gang admission against a fixed capacity, decided on a snapshot: a workload starts only when its
 * whole demand fits in what admitted workloads leave free. Pending workloads are taken in order
 * (oldest first); one that does not fit waits without blocking smaller ones behind it
 * (best-effort FIFO), and one larger than the whole capacity is rejected.
 */
public final class CapacityAdmission {
  private CapacityAdmission() {}

  public static Map<String, AdmissionDecision> decide(ResourceAmounts capacity, List<Workload> admitted, List<Workload> pending) {
    ResourceAmounts used = admitted.stream().map(Workload::request).reduce(ResourceAmounts.ZERO, ResourceAmounts::plus);
    Map<String, AdmissionDecision> decisions = new LinkedHashMap<>();
    for (Workload w : pending) {
      ResourceAmounts free = capacity.minus(used);
      if (!w.request().fitsIn(capacity)) {
        decisions.put(w.key(), new AdmissionDecision.Rejected(
            "the job needs more than this machine has in all: " + String.join(", ", w.request().shortfalls(capacity))));
      } else if (w.request().fitsIn(free)) {
        decisions.put(w.key(), AdmissionDecision.admitted());
        used = used.plus(w.request());
      } else {
        decisions.put(w.key(), new AdmissionDecision.Waiting(
            "waiting for capacity: " + String.join(", ", w.request().shortfalls(free)) + " free"));
      }
    }
    return decisions;
  }
}
