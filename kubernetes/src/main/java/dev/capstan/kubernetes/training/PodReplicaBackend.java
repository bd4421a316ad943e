package dev.capstan.kubernetes.training;

import dev.capstan.api.training.ReplicaId;
import dev.capstan.api.training.TrainingJob;
import dev.capstan.api.training.TrainingJobModel;
import dev.capstan.api.validation.InvalidSpecException;
import dev.capstan.core.training.AdmissionRecord;
import dev.capstan.core.training.Observed;
import dev.capstan.core.training.ReplicaAction;
import dev.capstan.core.training.ReplicaBackend;
import dev.capstan.core.training.ReplicaLabels;
import dev.capstan.core.training.ReplicaLaunch;
import dev.capstan.core.training.ReplicaObservation;
import dev.capstan.core.training.env.ClusterAddressing;
import dev.capstan.core.training.env.ReplicaAddressing;
import dev.capstan.kubernetes.apply.Applier;
import dev.capstan.kubernetes.security.PodSecurityLevel;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Replicas as pods, each with a headless service of the same name: the cluster implementation of
 * the core port. Reads go to the API server, not to an informer cache, so a pass never plans on
 * a view older than its own last writes.
 *
 * <p>A pod waiting for a node under a pin its job's admission no longer records is deleted when
 * observed and started again, as the admission now places it (see {@code GpuPlacement}).
 *
 * <p>A restart (Start of attempt n over a pod of an older attempt) deletes the old pod, records n
 * on the replica's service, then creates the new pod. While the old pod is still terminating the
 * replica is reported Pending for attempt n, as the port's contract asks; once it is gone, the next
 * pass sees the replica missing and starts it.
 */
public final class PodReplicaBackend implements ReplicaBackend {
  private final Applier applier;
  /** The pod security level of a namespace (its label, or the operator's), read before a pod is created. */
  private final Function<String, PodSecurityLevel> security;
  /** What the last observe saw, by pod name: deletes carry its resourceVersion as a precondition. */
  private final Map<String, Pod> observedPods = new HashMap<>();
  /** Replicas whose pod the last observe saw without its service (deleted by someone), with the pod's attempt. */
  private final Map<ReplicaId, Integer> unservedPods = new HashMap<>();

  public PodReplicaBackend(Applier applier) {
    this(applier, namespace -> PodSecurityLevel.RESTRICTED);
  }

  public PodReplicaBackend(Applier applier, Function<String, PodSecurityLevel> security) {
    this.applier = applier;
    this.security = security;
  }

  @Override
  public Observed observe(TrainingJob job) {
    String ns = namespace(job);
    String selector = ReplicaLabels.CAPSTAN_JOB + "=" + job.getMetadata().getName();
    Map<String, Integer> desired = new HashMap<>();
    for (Service s : applier.list(Service.class, ns, selector)) {
      if (ownedBy(s.getMetadata().getOwnerReferences(), job)) {
        desired.put(s.getMetadata().getName(), desiredAttempt(s));
      }
    }
    Optional<TrainingJobModel> model = model(job);
    List<ReplicaObservation> found = new ArrayList<>();
    boolean admitted = AdmissionRecord.holds(job.getStatus());
    Map<String, String> pins = AdmissionRecord.placement(job.getStatus());
    observedPods.clear();
    unservedPods.clear();
    for (Pod pod : applier.list(Pod.class, ns, selector)) {
      if (!ownedBy(pod.getMetadata().getOwnerReferences(), job)) {
        continue;
      }
      Optional<ReplicaId> id = PodObservations.replicaOf(pod);
      if (id.isPresent() && admitted && pinnedElsewhere(pod, pins.get(id.get().shortName()))) {
        applier.deleteAsObserved(pod);
        continue;
      }
      id.ifPresent(r -> {
        observedPods.put(pod.getMetadata().getName(), pod);
        if (!desired.containsKey(pod.getMetadata().getName())) {
          unservedPods.put(r, PodObservations.attempt(pod));
        }
        found.add(PodObservations.observe(
            r, pod, desired.getOrDefault(pod.getMetadata().getName(), 0), mainContainer(model, r)));
      });
    }
    return Observed.of(found);
  }

  @Override
  public ReplicaAddressing addressing(TrainingJobModel job) {
    return new ClusterAddressing(job);
  }

  @Override
  public void apply(TrainingJob job, List<ReplicaAction> actions) {
    restoreServices(job, actions);
    for (ReplicaAction action : actions) {
      switch (action) {
        case ReplicaAction.Start start -> start(job, TrainingJobModel.from(job), start.launch());
        case ReplicaAction.Stop stop -> stop(job, stop.id(), stop.grace());
      }
    }
  }

  /**
   * A replica's service deleted behind the operator's back (by hand, or while it was down) is
   * created again for a pod that stays: its peers reach the pod through it. It records the pod's
   * attempt, the only record of it left.
   */
  private void restoreServices(TrainingJob job, List<ReplicaAction> actions) {
    if (unservedPods.isEmpty()) {
      return;
    }
    Optional<TrainingJobModel> model = model(job);
    if (model.isEmpty()) {
      return;
    }
    for (var lost : unservedPods.entrySet()) {
      boolean replaced = actions.stream().anyMatch(a -> lost.getKey().equals(switch (a) {
        case ReplicaAction.Start start -> start.launch().id();
        case ReplicaAction.Stop stop -> stop.id();
      }));
      if (!replaced) {
        Service service = ReplicaObjects.service(job, model.get(), lost.getKey(), lost.getValue());
        applier.ensure(service, s -> true, s -> s);
      }
    }
  }

  private void start(TrainingJob job, TrainingJobModel model, ReplicaLaunch launch) {
    String ns = namespace(job);
    Optional<Pod> current = applier.get(Pod.class, ns, launch.name());
    if (current.isPresent() && PodObservations.attempt(current.get()) >= launch.attempt()) {
      return;
    }
    if (current.isPresent()) {
      applier.deleteAsObserved(current.get());
    }
    Service service = ReplicaObjects.service(job, model, launch.id(), launch.attempt());
    applier.ensure(service, s -> desiredAttempt(s) >= launch.attempt(), s -> {
        Map<String, String> annotations = s.getMetadata().getAnnotations() == null
          ? new HashMap<>() : new HashMap<>(s.getMetadata().getAnnotations());
      annotations.put(ReplicaObjects.DESIRED_ATTEMPT, Integer.toString(launch.attempt()));
      s.getMetadata().setAnnotations(annotations);
      return s;
    });
    // Created, or left to a later pass while the old pod of this name is still terminating.
    PodSecurityLevel level = applier.retrying(() -> security.apply(ns));
    applier.ensure(ReplicaObjects.pod(job, model, launch, level), p -> true, p -> p);
  }

  /** {@code grace}: how long the pod has from SIGTERM to SIGKILL (a preemption's grace period); its template's when empty. */
  private void stop(TrainingJob job, ReplicaId id, Optional<Duration> grace) {
    String name = id.name(job.getMetadata().getName());
    Pod observed = observedPods.get(name);
    if (observed != null) {
      applier.deleteAsObserved(observed, grace);
    } else {
      applier.delete(Pod.class, namespace(job), name, grace);
    }
    applier.delete(Service.class, namespace(job), name);
  }

  /**
   * A pod still waiting for a node whose pin is not the one the admission records (the cycle dropped
   * it: the node went, or the pod could not be scheduled there): nothing ran in it, so it is deleted
   * before the plan, which then starts the replica again at the same attempt, placed as recorded.
   */
  private static boolean pinnedElsewhere(Pod pod, String recorded) {
    var annotations = pod.getMetadata().getAnnotations();
    String pinned = annotations == null ? null : annotations.get(ReplicaObjects.PLACED_ON);
    boolean waiting = pod.getSpec() != null && pod.getSpec().getNodeName() == null && pod.getMetadata().getDeletionTimestamp() == null
        && (pod.getStatus() == null || pod.getStatus().getPhase() == null || "Pending".equals(pod.getStatus().getPhase()));
    return waiting && !Objects.equals(pinned, recorded);
  }

  private static int desiredAttempt(Service s) {
    var annotations = s.getMetadata().getAnnotations();
    return PodObservations.parse(annotations == null ? null : annotations.get(ReplicaObjects.DESIRED_ATTEMPT));
  }

  private static boolean ownedBy(List<io.fabric8.kubernetes.api.model.OwnerReference> refs, TrainingJob job) {
    String uid = job.getMetadata().getUid();
    return uid == null || refs != null && refs.stream().anyMatch(r -> Objects.equals(r.getUid(), uid));
  }

  private static Optional<TrainingJobModel> model(TrainingJob job) {
    try {
      return Optional.of(TrainingJobModel.from(job));
    } catch (InvalidSpecException e) {
      return Optional.empty();
    }
  }

  private static String mainContainer(Optional<TrainingJobModel> model, ReplicaId id) {
    return model.flatMap(m -> m.group(id.role())).map(g -> g.container().getName()).orElse("");
  }

  static String namespace(TrainingJob job) {
    return job.getMetadata().getNamespace() == null ? "default" : job.getMetadata().getNamespace();
  }
}
