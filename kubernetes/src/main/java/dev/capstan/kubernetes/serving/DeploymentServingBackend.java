package dev.capstan.kubernetes.serving;

import dev.capstan.api.serving.InferenceService;
import dev.capstan.core.ports.Clock;
import dev.capstan.core.serving.ObservedRevisions;
import dev.capstan.core.serving.RevisionAction;
import dev.capstan.core.serving.RevisionKey;
import dev.capstan.core.serving.RevisionObservation;
import dev.capstan.core.serving.ServingBackend;
import dev.capstan.kubernetes.apply.Applier;
import dev.capstan.kubernetes.security.PodSecurityLevel;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Core's serving port in a cluster: one Deployment and one Service per revision, both named after
 * it and owned by the InferenceService. {@code observe} reads the operator's informer caches (the
 * Deployments, Services and pods of the service), never lists from the API server; {@code apply}
 * writes through the {@link Applier}, touching only what differs from the cache (a cache that lags
 * behind this pass's own writes meets the object by name and does nothing more).
 */
public final class DeploymentServingBackend implements ServingBackend {
  /** What the operator's caches hold of one InferenceService, read afresh by each call. */
  public interface Owned {
    List<Deployment> deployments(InferenceService isvc);

    List<Service> services(InferenceService isvc);

    List<Pod> pods(InferenceService isvc);
  }

  private final Owned owned;
  private final Applier applier;
  private final String image;
  private final Function<String, PodSecurityLevel> security;
  private final Clock clock;

  public DeploymentServingBackend(Owned owned, Applier applier, String image, Function<String, PodSecurityLevel> security,
      Clock clock) {
    this.owned = owned;
    this.applier = applier;
    this.image = image;
    this.security = security;
    this.clock = clock;
  }

  @Override
  public ObservedRevisions observe(InferenceService isvc) {
    Map<String, List<Pod>> podsByRevision = owned.pods(isvc).stream()
        .filter(p -> p.getMetadata().getLabels() != null && p.getMetadata().getLabels().get(RevisionLabels.REVISION) != null)
        .collect(Collectors.groupingBy(p -> p.getMetadata().getLabels().get(RevisionLabels.REVISION)));
    List<RevisionObservation> revisions = new ArrayList<>();
    for (Deployment d : ownedBy(isvc, owned.deployments(isvc))) {
      String name = d.getMetadata().getName();
      List<Pod> pods = podsByRevision.getOrDefault(name, List.of());
      var ready = RevisionPods.ready(pods);
      int desired = d.getSpec() == null || d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
      revisions.add(new RevisionObservation(key(isvc, name), desired, ready.size(), ready,
          RevisionPods.failure(Optional.of(d), pods, clock.now())));
    }
    return ObservedRevisions.of(revisions);
  }

  @Override
  public void apply(InferenceService isvc, List<RevisionAction> actions) {
    for (RevisionAction action : actions) {
      switch (action) {
        case RevisionAction.Scale scale -> scale(isvc, scale);
        case RevisionAction.Remove remove -> remove(isvc, remove.revision());
      }
    }
  }

  private void scale(InferenceService isvc, RevisionAction.Scale scale) {
    String name = scale.revision().revision();
    if (cached(owned.services(isvc), isvc, name).isEmpty()) {
      applier.ensure(RevisionObjects.service(isvc, scale.template()), s -> true, s -> s);
    }
    Optional<Deployment> current = cached(owned.deployments(isvc), isvc, name);
    if (current.isPresent() && Objects.equals(current.get().getSpec().getReplicas(), scale.replicas())) {
      return;
    }
    String ns = RevisionObjects.namespace(isvc);
    PodSecurityLevel level = applier.retrying(() -> security.apply(ns));
    applier.ensure(RevisionObjects.deployment(isvc, scale.template(), scale.replicas(), image, level),
        d -> Objects.equals(d.getSpec().getReplicas(), scale.replicas()),
        d -> {
          d.getSpec().setReplicas(scale.replicas());
          return d;
        });
  }

  private void remove(InferenceService isvc, RevisionKey revision) {
    String ns = RevisionObjects.namespace(isvc);
    applier.delete(Deployment.class, ns, revision.revision());
    applier.delete(Service.class, ns, revision.revision());
  }

  private static RevisionKey key(InferenceService isvc, String revision) {
    return new RevisionKey(RevisionObjects.namespace(isvc), isvc.getMetadata().getName(), revision);
  }

  private static <T extends HasMetadata> Optional<T> cached(List<T> objects, InferenceService isvc, String name) {
    return ownedBy(isvc, objects).stream().filter(o -> o.getMetadata().getName().equals(name)).findFirst();
  }

  /** Only objects whose owner reference is this InferenceService (not one deleted and created again by name). */
  private static <T extends HasMetadata> List<T> ownedBy(InferenceService isvc, List<T> objects) {
    String uid = isvc.getMetadata().getUid();
    return objects.stream().filter(o -> uid == null || o.getMetadata().getOwnerReferences() != null
        && o.getMetadata().getOwnerReferences().stream().anyMatch(r -> uid.equals(r.getUid()))).toList();
  }
}
