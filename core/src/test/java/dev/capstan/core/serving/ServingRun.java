package dev.capstan.core.serving;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.serving.InferenceService;
import dev.capstan.api.serving.InferenceServiceManifests;
import dev.capstan.api.serving.InferenceServiceStatus;
import dev.capstan.api.serving.RevisionStatus;
import dev.capstan.core.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A serving control plane over the testing store and backend, on a clock the test moves. */
final class ServingRun {
  static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
  static final String GATEWAY = "http://127.0.0.1:8090";

  final TestingInferenceServiceStore store = new TestingInferenceServiceStore();
  final TestingServingBackend backend = new TestingServingBackend();
  final List<String> events = new ArrayList<>();
  final List<RouteTable> published = new ArrayList<>();
  Instant now = T0;
  ModelSources sources = ModelSources.asWritten();
  final InferenceServiceController controller = new InferenceServiceController(store, backend,
      (service, uri) -> sources.resolve(service, uri),
      (object, type, reason, message) -> events.add(type + " " + object + " " + reason + ": " + message), () -> now, GATEWAY);
  final ServingControlLoop loop = new ServingControlLoop(store, controller, published::add, () -> now);

  /** Stores a manifest; a changed spec of an existing service gets the next generation, as an API server does. */
  InferenceService apply(ObjectNode manifest) {
    InferenceService next = InferenceServiceManifests.service(manifest);
    InferenceService before = store.get(next.getMetadata().getName());
    if (before != null) {
      next.setStatus(before.getStatus());
      long generation = before.getMetadata().getGeneration();
      boolean changed = !dev.capstan.api.codec.Manifests.json().valueToTree(before.getSpec())
          .equals(dev.capstan.api.codec.Manifests.json().valueToTree(next.getSpec()))
          || !java.util.Objects.equals(before.getMetadata().getAnnotations(), next.getMetadata().getAnnotations());
      next.getMetadata().setGeneration(changed ? generation + 1 : generation);
    }
    store.put(next);
    return next;
  }

  void delete(String name) {
    store.get(name).getMetadata().setDeletionTimestamp(now.toString());
  }

  Optional<Duration> pass() {
    return loop.pass();
  }

  void passes(int n) {
    for (int i = 0; i < n; i++) {
      pass();
    }
  }

  void advance(Duration d) {
    now = now.plus(d);
    backend.now = now;
  }

  InferenceServiceStatus status(String name) {
    return store.get(name).getStatus();
  }

  Condition condition(String name, String type) {
    return Conditions.find(status(name).getConditions(), type).orElseThrow(() -> new AssertionError("no " + type + " on " + name));
  }

  RevisionStatus revision(String service, String revision) {
    return status(service).getRevisions().stream().filter(r -> r.getName().equals(revision)).findFirst()
        .orElseThrow(() -> new AssertionError("no revision " + revision + " recorded; have " + revisionNames(service)));
  }

  List<String> revisionNames(String service) {
    return status(service).getRevisions().stream().map(RevisionStatus::getName).toList();
  }

  /** Revision name to percent in the last published route table; empty when the service has no route. */
  Map<String, Integer> traffic(String service) {
    Map<String, Integer> out = new LinkedHashMap<>();
    if (published.isEmpty()) {
      return out;
    }
    published.getLast().route(new ServiceKey("team-a", service))
        .ifPresent(r -> r.revisions().forEach(rr -> out.put(rr.key().revision(), rr.percent())));
    return out;
  }

  Optional<ServiceRoute> route(String service) {
    return published.isEmpty() ? Optional.empty() : published.getLast().route(new ServiceKey("team-a", service));
  }

  static String rev(int n) {
    return dev.capstan.api.serving.RevisionNames.name("mlp", n);
  }
}
