package dev.capstan.core.serving;

import dev.capstan.api.codec.Manifests;
import dev.capstan.api.serving.InferenceService;
import dev.capstan.api.serving.InferenceServiceModel;
import dev.capstan.api.serving.InferenceServiceStatus;
import dev.capstan.api.serving.RevisionStatus;
import dev.capstan.api.validation.InvalidSpecException;
import dev.capstan.core.autoscale.AutoscalingSettings;
import dev.capstan.core.ports.Clock;
import dev.capstan.core.ports.EventSink;
import dev.capstan.core.status.Conditions;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Reconciles one InferenceService: observe → validate → resolve → plan → apply → status. It also
 * takes the gateway's feedback ({@link GatewayFeedback}) into the revisions' autoscalers; after
 * {@link #scaleFromZero} the caller should run a pass soon, which asks for a replica at once.
 */
public final class InferenceServiceController implements GatewayFeedback {
  /** The gateway's path prefix of a service: {@code {base}/serving/{namespace}/{name}}. */
  public static final String SERVING_PATH = "/serving/";

  private final InferenceServiceStore store;
  private final ServingBackend backend;
  private final ModelSources sources;
  private final EventSink events;
  private final Clock clock;
  private final String gatewayBaseUrl;
  private final RevisionScalers scalers = new RevisionScalers();

  /** One pass's outcome: the service's route (empty: none), and when to look again at the latest. */
  public record Outcome(Optional<ServiceRoute> route, Optional<Duration> requeueAfter) {}

  public InferenceServiceController(InferenceServiceStore store, ServingBackend backend, ModelSources sources,
      EventSink events, Clock clock, String gatewayBaseUrl) {
    this.store = store;
    this.backend = backend;
    this.sources = sources;
    this.events = events;
    this.clock = clock;
    this.gatewayBaseUrl = gatewayBaseUrl.endsWith("/") ? gatewayBaseUrl.substring(0, gatewayBaseUrl.length() - 1) : gatewayBaseUrl;
  }

  /** The gateway URL of a service. */
  public String url(ServiceKey service) {
    return gatewayBaseUrl + SERVING_PATH + service.namespace() + "/" + service.name();
  }

  public Outcome reconcile(InferenceService service) {
    ServiceKey key = key(service);
    Instant now = clock.now();
    ObservedRevisions observed = backend.observe(service);
    if (service.getMetadata().getDeletionTimestamp() != null) {
      return delete(service, key, observed);
    }
    InferenceServiceModel model;
    try {
      model = InferenceServiceModel.from(service);
    } catch (InvalidSpecException e) {
      ServingPlan plan = ServingPlanner.invalid(key, generation(service), service.getStatus(), observed, e.getMessage(), url(key), now);
      recordStatus(service, plan.status());
      return new Outcome(plan.route(), plan.requeueAfter());
    }
    SourceResolution source = resolve(key, model);
    Map<String, Integer> decisions = decide(key, model, service.getStatus(), observed, now);
    ServingPlan plan = ServingPlanner.plan(new ServingInput(model, service.getStatus(), observed, source, decisions, url(key), now));
    backend.apply(service, plan.actions());
    scalers.retainOnly(key, plan.route().map(r -> r.revisions().stream()
        .collect(Collectors.toMap(RevisionRoute::key, rr -> AutoscalingSettings.of(model.scaling(), rr.containerConcurrency()))))
        .orElse(Map.of()));
    recordStatus(service, plan.status());
    return new Outcome(plan.route(), plan.requeueAfter());
  }

  private Outcome delete(InferenceService service, ServiceKey key, ObservedRevisions observed) {
    ServingPlan plan = ServingPlanner.deleting(key, service.getStatus(), observed);
    backend.apply(service, plan.actions());
    scalers.forget(key);
    if (plan.removeService()) {
      store.remove(service);
    } else {
      recordStatus(service, plan.status());
    }
    return new Outcome(Optional.empty(), plan.requeueAfter());
  }

  private SourceResolution resolve(ServiceKey key, InferenceServiceModel model) {
    try {
      return SourceResolution.of(sources.resolve(key, model.predictor().storageUri()));
    } catch (ModelSources.UnresolvedSourceException e) {
      return SourceResolution.unresolved(e.getMessage());
    }
  }

  /** The autoscalers' replica counts for every revision that is or just became ready. */
  private Map<String, Integer> decide(ServiceKey key, InferenceServiceModel model, InferenceServiceStatus status,
      ObservedRevisions observed, Instant now) {
    Map<String, Integer> decisions = new HashMap<>();
    List<RevisionStatus> recorded = status == null || status.getRevisions() == null ? List.of() : status.getRevisions();
    for (RevisionStatus r : recorded) {
      if (RevisionState.Ready.name().equals(r.getState()) && r.getTrafficPercent() != null && r.getTrafficPercent() > 0) {
        int ready = observed.revision(r.getName()).map(RevisionObservation::readyReplicas).orElse(0);
        AutoscalingSettings settings = AutoscalingSettings.of(model.scaling(), containerConcurrency(r));
        decisions.put(r.getName(), scalers.decide(new RevisionKey(key.namespace(), key.name(), r.getName()), settings, now, ready));
      }
    }
    return decisions;
  }

  private static int containerConcurrency(RevisionStatus r) {
    return r.getPredictor() == null || r.getPredictor().getContainerConcurrency() == null ? 0 : r.getPredictor().getContainerConcurrency();
  }

  @Override
  public void reportLoad(List<RevisionLoad> loads) {
    scalers.record(loads);
  }

  @Override
  public void scaleFromZero(RevisionKey revision) {
    scalers.activate(revision, clock.now());
  }

  /**
   * Records a reconcile that threw: a {@code Stalled} condition (reason {@code ReconcileError}) and
   * a Warning event naming the service; its revisions and traffic are left as they are.
   */
  public void recordReconcileError(InferenceService service, Throwable error, int failures, Duration retryIn) {
    String message = "reconcile failed (" + failures + (failures == 1 ? " time" : " times in a row")
        + "; next try in " + retryIn.toSeconds() + "s): " + error;
    events.record(objectName(service), EventSink.EventType.Warning, ServingReason.ReconcileError.name(), message);
    InferenceServiceStatus next = service.getStatus() == null ? new InferenceServiceStatus()
        : Manifests.copy(service.getStatus(), InferenceServiceStatus.class);
    next.setConditions(Conditions.set(next.getConditions(), ServiceStatusDraft.STALLED, true, ServingReason.ReconcileError,
        message, clock.now(), generation(service)));
    store.updateStatus(service, next);
  }

  private void recordStatus(InferenceService service, InferenceServiceStatus next) {
    InferenceServiceStatus previous = service.getStatus();
    if (previous != null && Manifests.json().valueToTree(previous).equals(Manifests.json().valueToTree(next))) {
      return;
    }
    String before = previous == null ? null : previous.getState();
    if (!Objects.equals(before, next.getState())) {
      boolean bad = ServiceState.Failed.name().equals(next.getState()) || ServiceState.Degraded.name().equals(next.getState());
      events.record(objectName(service), bad ? EventSink.EventType.Warning : EventSink.EventType.Normal, next.getState(),
          next.getMessage() == null ? next.getState() : next.getMessage());
    }
    store.updateStatus(service, next);
  }

  static ServiceKey key(InferenceService service) {
    String ns = service.getMetadata().getNamespace();
    return new ServiceKey(ns == null ? "default" : ns, service.getMetadata().getName());
  }

  /** {@code InferenceService namespace/name}, as events and logs name it. */
  public static String objectName(InferenceService service) {
    return InferenceService.KIND + " " + key(service);
  }

  private static long generation(InferenceService service) {
    return service.getMetadata().getGeneration() == null ? 1 : service.getMetadata().getGeneration();
  }
}
