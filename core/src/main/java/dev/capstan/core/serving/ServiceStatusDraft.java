package dev.capstan.core.serving;

import dev.capstan.api.codec.Manifests;
import dev.capstan.api.serving.InferenceServiceStatus;
import dev.capstan.core.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Builds a service's next status from the planned revisions: KServe's conditions (Ready,
 * PredictorReady, IngressReady, LatestDeploymentReady, RolledOut) with reasons, the components'
 * revision names and traffic, the revision records, and the summary state and message.
 */
final class ServiceStatusDraft {
  static final String READY = "Ready";
  static final String PREDICTOR_READY = "PredictorReady";
  static final String INGRESS_READY = "IngressReady";
  static final String LATEST_DEPLOYMENT_READY = "LatestDeploymentReady";
  static final String ROLLED_OUT = "RolledOut";
  static final String STALLED = "Stalled";

  private record Verdict(boolean ok, ServingReason reason, String message) {}

  private final InferenceServiceStatus previous;
  private final long generation;
  private final String url;
  private final Instant now;
  private Verdict problem;

  ServiceStatusDraft(InferenceServiceStatus previous, long generation, String url, Instant now) {
    this.previous = previous;
    this.generation = generation;
    this.url = url;
    this.now = now;
  }

  void sourceProblem(String message) {
    problem = new Verdict(false, ServingReason.SourceUnresolved, "the model source cannot be resolved: " + message);
  }

  void revisionLimit() {
    problem = new Verdict(false, ServingReason.RevisionLimit, "every revision number was used; recreate the service to change it");
  }

  void invalidSpec(String message) {
    problem = new Verdict(false, ServingReason.InvalidSpec, "the spec is invalid (what runs keeps running): " + message);
  }

  InferenceServiceStatus build(List<RevisionRecord> revisions, String latest, String rolledOut, OptionalInt canary, boolean routed) {
    Optional<RevisionRecord> latestRecord = revisions.stream().filter(r -> r.name().equals(latest)).findFirst();
    Verdict latestReady = latestDeployment(latestRecord);
    Verdict predictor = routed ? new Verdict(true, ServingReason.Ready, "serving: " + trafficText(revisions))
        : latestReady.ok() ? new Verdict(false, ServingReason.NoReadyRevision, "no revision is ready") : latestReady;
    Verdict ingress = routed ? new Verdict(true, ServingReason.Routed, "the gateway routes " + url)
        : new Verdict(false, ServingReason.NotRouted, "the gateway has no route until a revision is ready");
    Verdict rolled = rolledOut(latestRecord, latestReady, rolledOut, canary);

    InferenceServiceStatus next = previous == null ? new InferenceServiceStatus()
        : Manifests.copy(previous, InferenceServiceStatus.class);
    List<Condition> conditions = next.getConditions() == null ? new ArrayList<>() : next.getConditions();
    conditions = set(conditions, READY, predictor.ok() && ingress.ok() ? predictor : predictor.ok() ? ingress : predictor);
    conditions = set(conditions, PREDICTOR_READY, predictor);
    conditions = set(conditions, INGRESS_READY, ingress);
    conditions = set(conditions, LATEST_DEPLOYMENT_READY, latestReady);
    conditions = set(conditions, ROLLED_OUT, rolled);
    conditions = Conditions.clear(conditions, STALLED, ServingReason.Reconciled, "the last pass over the service worked", now, generation);
    next.setConditions(conditions);
    next.setObservedGeneration(generation);
    next.setUrl(url);
    next.setAddress(new InferenceServiceStatus.Addressable(url));
    next.setComponents(components(revisions, latest, rolledOut));
    next.setRevisions(new ArrayList<>(revisions.stream().map(RevisionRecord::toStatus).toList()));
    ServiceState state = state(revisions, latestRecord, latest, rolledOut, routed);
    next.setState(state.name());
    next.setMessage(!latestReady.ok() && (state == ServiceState.Degraded || state == ServiceState.Failed) ? latestReady.message()
        : routed ? predictor.message() : latestReady.message());
    return next;
  }

  private Verdict latestDeployment(Optional<RevisionRecord> latest) {
    if (problem != null) {
      return problem;
    }
    if (latest.isEmpty()) {
      return new Verdict(false, ServingReason.RevisionStarting, "no revision yet");
    }
    RevisionRecord r = latest.get();
    return switch (r.state()) {
      case Ready, Retired -> new Verdict(true, ServingReason.Ready, "revision " + r.name() + " is ready");
      case Creating -> new Verdict(false, ServingReason.RevisionStarting, "revision " + r.name() + " is starting");
      case Failed -> new Verdict(false, ServingReason.RevisionFailed, "revision " + r.name() + " cannot become ready"
          + r.lastFailure().map(f -> ": " + f.getReason() + ": " + f.getMessage()).orElse(""));
    };
  }

  private static Verdict rolledOut(Optional<RevisionRecord> latest, Verdict latestReady, String rolledOut, OptionalInt canary) {
    if (!latestReady.ok()) {
      return latestReady;
    }
    String name = latest.map(RevisionRecord::name).orElse("");
    if (name.equals(rolledOut)) {
      return new Verdict(true, ServingReason.RolledOut, "revision " + name + " takes every request");
    }
    int percent = latest.map(RevisionRecord::traffic).orElse(0);
    return canary.orElse(100) == 0
        ? new Verdict(false, ServingReason.RolledBack, "canaryTrafficPercent is 0: revision " + rolledOut + " takes every request")
        : new Verdict(false, ServingReason.CanaryInProgress, "revision " + name + " takes " + percent + " %, revision "
            + rolledOut + " the rest");
  }

  private ServiceState state(List<RevisionRecord> revisions, Optional<RevisionRecord> latestRecord, String latest,
      String rolledOut, boolean routed) {
    boolean latestBroken = problem != null || latestRecord.isEmpty() || latestRecord.get().state() == RevisionState.Failed;
    if (!routed) {
      return latestBroken ? ServiceState.Failed : ServiceState.Pending;
    }
    if (latestBroken) {
      return ServiceState.Degraded;
    }
    if (!latest.equals(rolledOut)) {
      return ServiceState.RollingOut;
    }
    return revisions.stream().filter(r -> r.traffic() > 0).allMatch(r -> r.ready() == 0) ? ServiceState.Idle : ServiceState.Ready;
  }

  private InferenceServiceStatus.ComponentsStatus components(List<RevisionRecord> revisions, String latest, String rolledOut) {
    InferenceServiceStatus.PredictorStatus p = new InferenceServiceStatus.PredictorStatus();
    p.setLatestCreatedRevision(latest);
    p.setLatestReadyRevision(revisions.stream().filter(r -> r.state() == RevisionState.Ready)
        .max(Comparator.comparingInt(RevisionRecord::number)).map(RevisionRecord::name).orElse(null));
    p.setLatestRolledoutRevision(rolledOut);
    p.setTraffic(new ArrayList<>(revisions.stream().filter(r -> r.traffic() > 0)
        .sorted(Comparator.comparingInt(RevisionRecord::number).reversed())
        .map(r -> new InferenceServiceStatus.TrafficTarget(r.name(), r.traffic(), r.name().equals(latest))).toList()));
    InferenceServiceStatus.ComponentsStatus c = new InferenceServiceStatus.ComponentsStatus();
    c.setPredictor(p);
    return c;
  }

  private static String trafficText(List<RevisionRecord> revisions) {
    return String.join(", ", revisions.stream().filter(r -> r.traffic() > 0)
        .map(r -> r.name() + " " + r.traffic() + " % (" + r.ready() + " ready)").toList());
  }

  private List<Condition> set(List<Condition> conditions, String type, Verdict v) {
    return Conditions.set(conditions, type, v.ok(), v.reason(), v.message(), now, generation);
  }
}
