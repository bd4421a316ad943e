package dev.capstan.core.serving;

import dev.capstan.api.serving.InferenceService;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Revisions in memory, for tests: a replica the backend was told to run is ready at the next
 * observation, unless its revision was told to fail (then the failure is reported instead).
 */
final class TestingServingBackend implements ServingBackend {
  /** One revision as the backend holds it. */
  static final class Revision {
    RevisionTemplate template;
    int desired;
    int ready;
  }

  private final Map<RevisionKey, Revision> revisions = new LinkedHashMap<>();
  private final Map<String, RevisionFailure> failing = new HashMap<>();
  private final Set<String> throwing = new HashSet<>();
  private final List<RevisionAction> applied = new ArrayList<>();
  private boolean startsReplicas = true;
  /** The time failures are reported at: each observation sees the failure again, now. */
  Instant now = Instant.parse("2026-01-01T00:00:00Z");

  /** Replicas of this revision never become ready; observe reports this failure. */
  void fail(String revision, RevisionFailureReason reason, String message) {
    failing.put(revision, new RevisionFailure(reason, message, now));
  }

  /** While false, replicas the backend was told to run stay not ready (a slow start). */
  void startsReplicas(boolean starts) {
    startsReplicas = starts;
  }

  /** observe of this service throws. */
  void throwOnObserve(String service) {
    throwing.add(service);
  }

  Optional<Revision> revision(String name) {
    return revisions.entrySet().stream().filter(e -> e.getKey().revision().equals(name)).map(Map.Entry::getValue).findFirst();
  }

  int desired(String name) {
    return revision(name).map(r -> r.desired).orElse(-1);
  }

  List<String> names() {
    return revisions.keySet().stream().map(RevisionKey::revision).toList();
  }

  List<RevisionAction> applied() {
    return applied;
  }

  @Override
  public ObservedRevisions observe(InferenceService service) {
    ServiceKey key = InferenceServiceController.key(service);
    if (throwing.contains(key.name())) {
      throw new IllegalStateException("backend unavailable for " + key);
    }
    List<RevisionObservation> out = new ArrayList<>();
    revisions.forEach((k, r) -> {
      if (!k.serviceKey().equals(key)) {
        return;
      }
      RevisionFailure failure = failing.get(k.revision());
      if (failure == null && startsReplicas) {
        r.ready = r.desired;
      }
      r.ready = Math.min(r.ready, r.desired);
      List<ReplicaEndpoint> endpoints = new ArrayList<>();
      for (int i = 0; i < r.ready; i++) {
        endpoints.add(new ReplicaEndpoint(k.revision() + "-" + i, "127.0.0.1", 20000 + i, 0));
      }
      out.add(new RevisionObservation(k, r.desired, r.ready, endpoints,
          Optional.ofNullable(failure).map(f -> new RevisionFailure(f.reason(), f.message(), now))));
    });
    return ObservedRevisions.of(out);
  }

  @Override
  public void apply(InferenceService service, List<RevisionAction> actions) {
    applied.addAll(actions);
    for (RevisionAction action : actions) {
      switch (action) {
        case RevisionAction.Scale s -> {
          Revision r = revisions.computeIfAbsent(s.revision(), k -> new Revision());
          r.template = s.template();
          r.desired = s.replicas();
        }
        case RevisionAction.Remove rm -> revisions.remove(rm.revision());
      }
    }
  }
}
