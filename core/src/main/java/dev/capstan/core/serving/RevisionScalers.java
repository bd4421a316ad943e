package dev.capstan.core.serving;

import dev.capstan.core.autoscale.AutoscalingSettings;
import dev.capstan.core.autoscale.KpaAutoscaler;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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

  /**
   * Makes sure a routed revision has an autoscaler with these settings (a new one when they
   * changed), so the gateway's reports count from the moment it takes traffic. The autoscaler
   * itself runs unbounded and its answers are bounded here, so a change of only minReplicas or
   * maxReplicas keeps the windows it has seen.
   */
  synchronized KpaAutoscaler track(RevisionKey key, AutoscalingSettings settings) {
    settings = unbounded(settings);
    KpaAutoscaler scaler = scalers.get(key);
    if (scaler == null || !scaler.settings().equals(settings)) {
      scaler = new KpaAutoscaler(settings);
      scalers.put(key, scaler);
    }
    return scaler;
  }

  /** The replicas the revision's autoscaler wants now. */
  synchronized int decide(RevisionKey key, AutoscalingSettings settings, Instant now, int readyReplicas) {
    KpaAutoscaler scaler = track(key, settings);
    Instant activation = pendingActivations.remove(key);
    int activated = activation == null ? 0 : scaler.activate(activation).desiredReplicas();
    int wanted = Math.max(activated, scaler.decide(now, readyReplicas).desiredReplicas());
    int atLeast = activation == null ? settings.minReplicas() : Math.max(1, settings.minReplicas());
    return Math.min(Math.max(wanted, atLeast), settings.maxReplicas());
  }

  private static AutoscalingSettings unbounded(AutoscalingSettings settings) {
    return settings.toBuilder().minReplicas(0).maxReplicas(AutoscalingSettings.REPLICAS_LIMIT).build();
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

  /** Keeps autoscalers for exactly the service's routed revisions (settings by revision). */
  synchronized void retainOnly(ServiceKey service, Map<RevisionKey, AutoscalingSettings> routed) {
    routed.forEach(this::track);
    scalers.keySet().removeIf(k -> k.serviceKey().equals(service) && !routed.containsKey(k));
    pendingActivations.keySet().removeIf(k -> k.serviceKey().equals(service) && !routed.containsKey(k));
  }

  /** Forgets every autoscaler of a service (being deleted). */
  synchronized void forget(ServiceKey service) {
    scalers.keySet().removeIf(k -> k.serviceKey().equals(service));
    pendingActivations.keySet().removeIf(k -> k.serviceKey().equals(service));
  }
}
