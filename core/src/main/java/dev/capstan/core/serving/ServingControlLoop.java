package dev.capstan.core.serving;

import dev.capstan.api.serving.InferenceService;
import dev.capstan.core.ports.Clock;
import dev.capstan.core.training.ReconcileBackoff;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * One pass over every InferenceService, then one route table for the gateway, published when it
 * changed. A service whose reconcile throws is isolated: it gets a {@code Stalled} condition and a
 * Warning event, keeps the route it had, and is left alone for its backoff while the others go on.
 */
public final class ServingControlLoop {
  private final InferenceServiceStore store;
  private final InferenceServiceController controller;
  private final RoutePublisher publisher;
  private final Clock clock;
  private final ReconcileBackoff backoff = new ReconcileBackoff();
  private final Map<ServiceKey, ServiceRoute> routes = new HashMap<>();
  private Map<ServiceKey, ServiceRoute> published;

  public ServingControlLoop(InferenceServiceStore store, InferenceServiceController controller, RoutePublisher publisher,
      Clock clock) {
    this.store = store;
    this.controller = controller;
    this.publisher = publisher;
    this.clock = clock;
  }

  /** Returns the soonest time any service asked to be looked at again. */
  public synchronized Optional<Duration> pass() {
    List<InferenceService> services = store.list();
    Instant now = clock.now();
    Map<String, ServiceKey> keys = services.stream().map(InferenceServiceController::key)
        .collect(Collectors.toMap(ServiceKey::toString, k -> k, (a, b) -> a));
    backoff.retainOnly(keys.keySet());
    routes.keySet().retainAll(keys.values());
    Optional<Duration> soonest = backoff.untilNextRetry(now);
    for (InferenceService service : services) {
      ServiceKey key = InferenceServiceController.key(service);
      if (backoff.waiting(key.toString(), revision(service), now)) {
        continue;
      }
      Optional<Duration> next = reconcileIsolated(service, key, now);
      if (next.isPresent() && (soonest.isEmpty() || next.get().compareTo(soonest.get()) < 0)) {
        soonest = next;
      }
    }
    if (!routes.equals(published)) {
      published = Map.copyOf(routes);
      publisher.publish(RouteTable.of(published.values()));
    }
    return soonest;
  }

  private Optional<Duration> reconcileIsolated(InferenceService service, ServiceKey key, Instant now) {
    try {
      InferenceServiceController.Outcome outcome = controller.reconcile(service);
      outcome.route().ifPresentOrElse(r -> routes.put(key, r), () -> routes.remove(key));
      backoff.succeeded(key.toString());
      return outcome.requeueAfter();
    } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
      int failures = backoff.failed(key.toString(), revision(service), now);
      Duration retryIn = ReconcileBackoff.delay(failures);
      try {
        controller.recordReconcileError(service, e, failures, retryIn);
      } catch (RuntimeException recordFailed) {
        e.addSuppressed(recordFailed);
      }
      return Optional.of(retryIn);
    }
  }

  /** What a failure is remembered against: a new generation or a deletion is tried at once. */
  private static String revision(InferenceService service) {
    return service.getMetadata().getGeneration() + (service.getMetadata().getDeletionTimestamp() == null ? "" : "/deleting");
  }
}
