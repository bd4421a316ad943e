package dev.capstan.core.serving;

import dev.capstan.api.codec.Manifests;
import dev.capstan.api.serving.InferenceServiceLimits;
import dev.capstan.api.serving.InferenceServiceModel;
import dev.capstan.api.serving.InferenceServiceStatus;
import dev.capstan.api.serving.RevisionNames;
import dev.capstan.api.serving.RevisionStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The serving controller's decisions, as a pure function from (service, recorded status, observed
 * revisions, resolved model source, autoscaler decisions, time) to revision actions, the route
 * and the next status. No I/O happens here. The rules (docs/serving.md):
 *
 * <ul>
 *   <li>A change of what a replica runs (model, format, batching, resources, containerConcurrency,
 *       timeout, or where the model source now resolves to) makes a new revision; scaling fields do not.
 *   <li>Only Ready revisions take traffic. With {@code canaryTrafficPercent: N} the latest ready
 *       revision takes N % and the last rolled-out one the rest; 100 or no field promotes; 0 rolls back.
 *       A revision that cannot become ready leaves traffic where it was.
 *   <li>A revision that loses its traffic keeps its replicas for one more pass, while the gateway
 *       moves away from it, then goes to zero; the newest {@link #KEEP_REVISIONS} are kept, older
 *       ones without traffic are removed.
 * </ul>
 */
public final class ServingPlanner {
  /** Revisions kept besides those in use, newest first, for a quick roll back. */
  public static final int KEEP_REVISIONS = 3;
  /** How often a routed service is looked at again, for its autoscalers (Knative's tick). */
  public static final Duration AUTOSCALE_TICK = Duration.ofSeconds(2);
  /** How often a service whose revision is starting or draining is looked at again. */
  public static final Duration STARTING_POLL = Duration.ofSeconds(1);

  private final ServingInput in;
  private final InferenceServiceModel model;
  private final ServiceKey service;
  private final ServiceStatusDraft status;
  private List<RevisionRecord> revisions;
  private String rolledOut;

  private ServingPlanner(ServingInput in) {
    this.in = in;
    this.model = in.model();
    this.service = new ServiceKey(model.namespace(), model.name());
    this.status = new ServiceStatusDraft(in.previous(), model.generation(), in.url(), in.now());
  }

  public static ServingPlan plan(ServingInput in) {
    return new ServingPlanner(in).decide();
  }

  private ServingPlan decide() {
    revisions = recorded(service.name(), in.previous());
    rolledOut = previousRolledOut();
    createRevisionIfChanged();
    update(this::observe);
    splitTraffic();
    String latest = latestCreated().map(RevisionRecord::name).orElse(null);
    update(r -> r.withState(r.state().settle(r.name().equals(latest), r.traffic() > 0 || r.name().equals(rolledOut))));
    update(r -> r.withDesired(replicas(r, latest)));
    List<RevisionAction> actions = new ArrayList<>();
    collectGarbage(latest, actions);
    for (RevisionRecord r : revisions) {
      if (r.desired() > 0 || in.observed().revision(r.name()).isPresent()) {
        actions.add(new RevisionAction.Scale(r.revisionTemplate(service), r.desired()));
      }
    }
    Optional<ServiceRoute> route = route(service, revisions, in.observed());
    InferenceServiceStatus next = status.build(revisions, latest, rolledOut, model.canaryTrafficPercent(), route.isPresent());
    return new ServingPlan(actions, route, next, false, requeue(route.isPresent()));
  }

  private RevisionRecord observe(RevisionRecord r) {
    return in.observed().revision(r.name())
        .map(o -> r.observed(r.state().observe(o.readyReplicas(), o.failure()), o.readyReplicas(), o.failure().map(ServingPlanner::failure)))
        .orElseGet(() -> r.observed(r.state(), 0, Optional.empty()));
  }

  /**
   * A service being deleted: every revision it recorded or the backend still reports is removed;
   * the service goes once the backend reports none.
   */
  public static ServingPlan deleting(ServiceKey service, InferenceServiceStatus previous, ObservedRevisions observed) {
    Set<String> names = new LinkedHashSet<>(observed.byName().keySet());
    if (previous != null && previous.getRevisions() != null) {
      previous.getRevisions().stream().map(RevisionStatus::getName).filter(Objects::nonNull).forEach(names::add);
    }
    List<RevisionAction> actions = names.stream()
        .map(n -> (RevisionAction) new RevisionAction.Remove(new RevisionKey(service.namespace(), service.name(), n),
            "the service is being deleted"))
        .toList();
    boolean gone = observed.byName().isEmpty();
    InferenceServiceStatus next = previous == null ? new InferenceServiceStatus()
        : Manifests.copy(previous, InferenceServiceStatus.class);
    next.setState(ServiceState.Deleting.name());
    next.setMessage("being deleted: " + names.size() + " revision(s) to stop");
    return new ServingPlan(actions, Optional.empty(), next, gone, gone ? Optional.empty() : Optional.of(STARTING_POLL));
  }

  /**
   * A service whose spec is invalid: nothing is created, scaled or removed, and the revisions that
   * took traffic keep it; the status says why. (Local mode refuses such a spec before storing it; a
   * cluster may still hold one.)
   */
  public static ServingPlan invalid(ServiceKey service, long generation, InferenceServiceStatus previous,
      ObservedRevisions observed, String message, String url, Instant now) {
    List<RevisionRecord> revisions = recorded(service.name(), previous).stream()
        .map(r -> r.observed(r.state(), observed.revision(r.name()).map(RevisionObservation::readyReplicas).orElse(0), Optional.empty()))
        .toList();
    String latest = revisions.isEmpty() ? null : revisions.getLast().name();
    String rolledOut = previous == null || previous.getComponents() == null || previous.getComponents().getPredictor() == null
        ? null : previous.getComponents().getPredictor().getLatestRolledoutRevision();
    ServiceStatusDraft draft = new ServiceStatusDraft(previous, generation, url, now);
    draft.invalidSpec(message);
    Optional<ServiceRoute> route = route(service, revisions, observed);
    return new ServingPlan(List.of(), route, draft.build(revisions, latest, rolledOut, OptionalInt.empty(), route.isPresent()),
        false, Optional.empty());
  }

  /** The revisions recorded in status, oldest first; a name recorded twice counts once (its first record). */
  private static List<RevisionRecord> recorded(String service, InferenceServiceStatus previous) {
    List<RevisionRecord> out = new ArrayList<>();
    if (previous == null || previous.getRevisions() == null) {
      return out;
    }
    List<RevisionStatus> list = previous.getRevisions();
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < list.size(); i++) {
      RevisionRecord.read(service, list.get(i), i).filter(r -> seen.add(r.name())).ifPresent(out::add);
    }
    out.sort(Comparator.comparingInt(RevisionRecord::number));
    return out;
  }

  private String previousRolledOut() {
    InferenceServiceStatus p = in.previous();
    String name = p == null || p.getComponents() == null || p.getComponents().getPredictor() == null ? null
        : p.getComponents().getPredictor().getLatestRolledoutRevision();
    return revisions.stream().anyMatch(r -> r.name().equals(name)) ? name : null;
  }

  private Optional<RevisionRecord> latestCreated() {
    return revisions.isEmpty() ? Optional.empty() : Optional.of(revisions.getLast());
  }

  private void createRevisionIfChanged() {
    if (in.source().resolved().isEmpty()) {
      status.sourceProblem(in.source().problem());
      return;
    }
    ModelSources.Resolved source = in.source().resolved().get();
    Optional<RevisionRecord> latest = latestCreated();
    if (latest.isPresent() && latest.get().runs(model.predictor(), source.storageUri())) {
      return;
    }
    int number = Math.max(latest.map(RevisionRecord::number).orElse(0), highestNumberEverUsed()) + 1;
    if (number > InferenceServiceLimits.MAX_REVISION_NUMBER) {
      status.revisionLimit();
      return;
    }
    revisions.add(new RevisionRecord(RevisionNames.name(service.name(), number), number, model.generation(),
        in.now().toString(), RevisionState.Creating, model.predictor(), source.storageUri(), source.modelVersion(), 0, 0, 0, 0,
        Optional.empty()));
  }

  /** Numbers are never reused: the latest created one is remembered in status even after its record went. */
  private int highestNumberEverUsed() {
    InferenceServiceStatus p = in.previous();
    String name = p == null || p.getComponents() == null || p.getComponents().getPredictor() == null ? null
        : p.getComponents().getPredictor().getLatestCreatedRevision();
    return RevisionNames.number(service.name(), name).orElse(0);
  }

  private void splitTraffic() {
    Optional<RevisionRecord> latestReady = revisions.stream().filter(r -> r.state() == RevisionState.Ready)
        .max(Comparator.comparingInt(RevisionRecord::number));
    update(r -> r.withTraffic(0));
    if (latestReady.isEmpty()) {
      return;
    }
    String ready = latestReady.get().name();
    int percent = model.latestRevisionPercent();
    if (rolledOut == null || rolledOut.equals(ready) || percent == 100) {
      rolledOut = ready;
      setTraffic(ready, 100);
    } else if (percent == 0) {
      setTraffic(rolledOut, 100);
    } else {
      setTraffic(ready, percent);
      setTraffic(rolledOut, 100 - percent);
    }
  }

  private void setTraffic(String name, int percent) {
    update(r -> r.name().equals(name) ? r.withTraffic(percent) : r);
  }

  private int replicas(RevisionRecord r, String latest) {
    int initial = Math.max(1, model.scaling().minReplicas());
    return switch (r.state()) {
      case Creating -> r.name().equals(latest) ? initial : 0;
      case Failed -> 0;
      case Ready, Retired -> r.traffic() > 0 ? in.scaleDecisions().getOrDefault(r.name(), initial)
          : r.draining() ? Math.max(r.desired(), r.ready()) : 0;
    };
  }

  /**
   * Keeps the revisions in use (traffic, draining, the latest created, the rolled-out one) and the
   * newest {@link #KEEP_REVISIONS}; removes the rest, and whatever the backend runs that is not kept.
   */
  private void collectGarbage(String latest, List<RevisionAction> actions) {
    Set<String> newest = new HashSet<>();
    revisions.stream().sorted(Comparator.comparingInt(RevisionRecord::number).reversed()).limit(KEEP_REVISIONS)
        .forEach(r -> newest.add(r.name()));
    List<RevisionRecord> kept = new ArrayList<>();
    for (RevisionRecord r : revisions) {
      boolean inUse = r.traffic() > 0 || r.draining() || r.name().equals(latest) || r.name().equals(rolledOut);
      if (inUse || newest.contains(r.name())) {
        kept.add(r);
      } else {
        actions.add(new RevisionAction.Remove(r.key(service), "garbage-collected: only the newest " + KEEP_REVISIONS
            + " revisions are kept"));
      }
    }
    revisions = kept;
    Set<String> keptNames = new HashSet<>();
    kept.forEach(r -> keptNames.add(r.name()));
    in.observed().byName().forEach((name, o) -> {
      if (!keptNames.contains(name) && actions.stream().noneMatch(a -> a.revision().revision().equals(name))) {
        actions.add(new RevisionAction.Remove(o.key(), "not a revision the service keeps"));
      }
    });
  }

  private static Optional<ServiceRoute> route(ServiceKey service, List<RevisionRecord> revisions, ObservedRevisions observed) {
    List<RevisionRoute> routes = new ArrayList<>();
    for (RevisionRecord r : revisions) {
      if (r.traffic() > 0) {
        List<ReplicaEndpoint> endpoints = observed.revision(r.name()).map(RevisionObservation::endpoints).orElse(List.of());
        routes.add(new RevisionRoute(r.key(service), r.traffic(), endpoints, r.template().containerConcurrency(),
            r.template().timeout()));
      }
    }
    return routes.isEmpty() ? Optional.empty() : Optional.of(new ServiceRoute(service, routes));
  }

  private Optional<Duration> requeue(boolean routed) {
    boolean moving = revisions.stream().anyMatch(r -> r.state() == RevisionState.Creating && r.desired() > 0 || r.draining());
    return moving ? Optional.of(STARTING_POLL) : routed ? Optional.of(AUTOSCALE_TICK) : Optional.empty();
  }

  private void update(UnaryOperator<RevisionRecord> change) {
    revisions = new ArrayList<>(revisions.stream().map(change).toList());
  }

  private static RevisionStatus.RevisionFailure failure(RevisionFailure f) {
    return new RevisionStatus.RevisionFailure(f.reason().name(), f.message(), f.at().toString());
  }
}
