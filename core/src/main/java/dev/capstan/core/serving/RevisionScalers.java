package dev.capstan.core.serving;

import dev.capstan.core.autoscale.AutoscalingSettings;
import dev.capstan.core.autoscale.KpaAutoscaler;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One {@link KpaAutoscaler} per revision that takes traffic, fed by the gateway's reports and asked
 * for replica counts by the controller. Thread-safe: the gateway reports from its own threads.
 * A request for a revision the controller has no autoscaler for yet (after a restart) is kept and
 * applied when it gets one.
 */
final class RevisionScalers {
  /** Activations kept for revisions without an autoscaler yet; the gateway asks only for routed ones. */
  private static final int MAX_PENDING = 10_000;
  private final Map<RevisionKey, KpaAutoscaler> scalers = new HashMap<>();
  private final Map<RevisionKey, Instant> pendingActivations = new HashMap<>();

  /** The replicas the revision's autoscaler wants now; it is made (or remade, when the settings changed) on demand. */
  synchronized int decide(RevisionKey key, AutoscalingSettings settings, Instant now, int readyReplicas) {
    KpaAutoscaler scaler = scalers.get(key);
    if (scaler == null || !scaler.settings().equals(settings)) {
      scaler = new KpaAutoscaler(settings);
      scalers.put(key, scaler);
    }
    Instant activation = pendingActivations.remove(key);
    int activated = activation == null ? 0 : scaler.activate(activation).desiredReplicas();
    return Math.max(activated, scaler.decide(now, readyReplicas).desiredReplicas());
  }

  synchronized void record(List<RevisionLoad> loads) {
    for (RevisionLoad load : loads) {
      KpaAutoscaler scaler = scalers.get(load.key());
      if (scaler != null) {
        scaler.record(load);
      }
    }
  }

  /** A request waits at zero replicas: the revision's next decision is at least one replica. */
  synchronized void activate(RevisionKey key, Instant now) {
    if (pendingActivations.size() < MAX_PENDING || pendingActivations.containsKey(key)) {
      pendingActivations.put(key, now);
    }
  }

  /** Forgets the autoscalers of a service's revisions that no longer take traffic. */
  synchronized void retainOnly(ServiceKey service, Set<RevisionKey> routed) {
    scalers.keySet().removeIf(k -> k.serviceKey().equals(service) && !routed.contains(k));
    pendingActivations.keySet().removeIf(k -> k.serviceKey().equals(service) && !routed.contains(k));
  }

  /** Forgets every autoscaler of a service (being deleted). */
  synchronized void forget(ServiceKey service) {
    scalers.keySet().removeIf(k -> k.serviceKey().equals(service));
    pendingActivations.keySet().removeIf(k -> k.serviceKey().equals(service));
  }
}
