package dev.capstan.kubernetes.serving;

import dev.capstan.core.serving.ReplicaEndpoint;
import dev.capstan.core.serving.RevisionFailure;
import dev.capstan.core.serving.RevisionFailureReason;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads a revision's state from its pods and Deployment as the kubelet and the Deployment
 * controller report them: which replicas are ready and where they listen, and why the revision
 * cannot become ready, if it cannot. A pure function of the objects.
 */
final class RevisionPods {
  /** Waiting reasons of a container the kubelet cannot start at all. */
  private static final Set<String> CANNOT_START = Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName",
      "CreateContainerConfigError", "CreateContainerError", "RunContainerError");
  private static final int MAX_MESSAGE = 1024;

  private RevisionPods() {}

  /** Pods that are Ready, have an IP and are not being deleted, as endpoints (sorted by name). */
  static List<ReplicaEndpoint> ready(List<Pod> pods) {
    return pods.stream()
        .filter(RevisionPods::isReady)
        .sorted(Comparator.comparing(p -> p.getMetadata().getName()))
        .map(p -> new ReplicaEndpoint(p.getMetadata().getName(), p.getStatus().getPodIP(), RevisionObjects.HTTP_PORT,
            RevisionObjects.GRPC_PORT))
        .toList();
  }

  /** Ready (its Ready condition is True), with an IP, and not being deleted: it may take requests. */
  static boolean isReady(Pod p) {
    return p.getMetadata().getDeletionTimestamp() == null && p.getStatus() != null && p.getStatus().getPodIP() != null
        && p.getStatus().getConditions() != null && p.getStatus().getConditions().stream()
            .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /**
   * Why the revision cannot become ready: the model fetch failed (the init container exited
   * non-zero), a container cannot be started (image pull, configuration), the server keeps
   * crashing (CrashLoopBackOff), or the Deployment cannot create pods (ReplicaFailure: quota,
   * admission). The first such sign in that order, from the pods sorted by name.
   */
  static Optional<RevisionFailure> failure(Optional<Deployment> deployment, List<Pod> pods, Instant now) {
    List<Pod> sorted = pods.stream().filter(p -> p.getStatus() != null)
        .sorted(Comparator.comparing(p -> p.getMetadata().getName())).toList();
    return sorted.stream().flatMap(p -> statuses(p.getStatus().getInitContainerStatuses()))
        .filter(s -> RevisionObjects.FETCH_CONTAINER.equals(s.getName()))
        .flatMap(s -> failedFetch(s, now).stream()).findFirst()
        .or(() -> sorted.stream().flatMap(p -> Stream.concat(statuses(p.getStatus().getInitContainerStatuses()),
                statuses(p.getStatus().getContainerStatuses())))
            .flatMap(s -> cannotStart(s, now).stream()).findFirst())
        .or(() -> sorted.stream().flatMap(p -> statuses(p.getStatus().getContainerStatuses()))
            .filter(s -> RevisionObjects.SERVER_CONTAINER.equals(s.getName()))
            .flatMap(s -> crashLoop(s, now).stream()).findFirst())
        .or(() -> deployment.flatMap(d -> replicaFailure(d, now)));
  }

  private static Optional<RevisionFailure> failedFetch(ContainerStatus s, Instant now) {
    ContainerStateTerminated t = terminated(s);
    if (t == null || t.getExitCode() == null || t.getExitCode() == 0) {
      return Optional.empty();
    }
    return Optional.of(new RevisionFailure(RevisionFailureReason.ModelFetchFailed,
        describe("capstan fetch", t), now));
  }

  private static Optional<RevisionFailure> cannotStart(ContainerStatus s, Instant now) {
    var waiting = s.getState() == null ? null : s.getState().getWaiting();
    if (waiting == null || !CANNOT_START.contains(waiting.getReason())) {
      return Optional.empty();
    }
    return Optional.of(new RevisionFailure(RevisionFailureReason.StartFailed,
        clip(s.getName() + ": " + waiting.getReason() + (waiting.getMessage() == null ? "" : ": " + waiting.getMessage())), now));
  }

  private static Optional<RevisionFailure> crashLoop(ContainerStatus s, Instant now) {
    var waiting = s.getState() == null ? null : s.getState().getWaiting();
    if (waiting == null || !"CrashLoopBackOff".equals(waiting.getReason())) {
      return Optional.empty();
    }
    ContainerStateTerminated last = s.getLastState() == null ? null : s.getLastState().getTerminated();
    String why = last == null ? "CrashLoopBackOff" : describe("the model server", last);
    return Optional.of(new RevisionFailure(RevisionFailureReason.CrashLoop,
        clip(why + " (restarted " + (s.getRestartCount() == null ? 0 : s.getRestartCount()) + " times)"), now));
  }

  private static Optional<RevisionFailure> replicaFailure(Deployment d, Instant now) {
    if (d.getStatus() == null || d.getStatus().getConditions() == null) {
      return Optional.empty();
    }
    return d.getStatus().getConditions().stream()
        .filter(c -> "ReplicaFailure".equals(c.getType()) && "True".equals(c.getStatus()))
        .findFirst()
        .map((DeploymentCondition c) -> new RevisionFailure(RevisionFailureReason.StartFailed,
            clip("pods cannot be created: " + c.getReason() + (c.getMessage() == null ? "" : ": " + c.getMessage())), now));
  }

  /** A terminated container state, current or last (an init container in back-off shows it as the last). */
  private static ContainerStateTerminated terminated(ContainerStatus s) {
    if (s.getState() != null && s.getState().getTerminated() != null) {
      return s.getState().getTerminated();
    }
    return s.getLastState() == null ? null : s.getLastState().getTerminated();
  }

  private static String describe(String what, ContainerStateTerminated t) {
    StringBuilder out = new StringBuilder(what).append(" exited with code ").append(t.getExitCode());
    if (t.getMessage() != null && !t.getMessage().isBlank()) {
      out.append(": ").append(t.getMessage().strip());
    } else if (t.getReason() != null) {
      out.append(" (").append(t.getReason()).append(')');
    }
    return clip(out.toString());
  }

  private static Stream<ContainerStatus> statuses(List<ContainerStatus> statuses) {
    return statuses == null ? Stream.empty() : statuses.stream();
  }

  private static String clip(String message) {
    return message.length() > MAX_MESSAGE ? message.substring(0, MAX_MESSAGE) + "…" : message;
  }
}
