package dev.capstan.kubernetes.placement;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which of an admitted job's pins still hold, a pure function: a pin whose replica's pod is bound
 * stays (it runs there); one whose replica is not bound is dropped when its node is gone or no
 * longer usable, or when kube-scheduler has reported its pod {@code Unschedulable} for the grace.
 * A pod not reported unschedulable keeps its pin however long it waits, whatever the grace.
 */
final class StalePins {
  private static final Logger LOG = LoggerFactory.getLogger(StalePins.class);

  private final Duration grace;

  StalePins(Duration grace) {
    this.grace = grace;
  }

  /**
   * The pins of {@code recorded} (node by replica short name) that hold; {@code podOf} finds a
   * replica's pod by short name (null before it is made); {@code pinnable} names the nodes a pin may name.
   */
  Map<String, String> kept(String job, Map<String, String> recorded, Set<String> pinnable, Function<String, Pod> podOf,
      Instant now) {
    Map<String, String> kept = new TreeMap<>(recorded);
    for (var pin : recorded.entrySet()) {
      Pod pod = podOf.apply(pin.getKey());
      if (pod != null && NodeStates.bound(pod)) {
        continue;
      }
      Optional<String> why = pinnable.contains(pin.getValue())
          ? stuck(pod, now).map(d -> "its pod could not be scheduled on node " + pin.getValue() + " for " + d.toSeconds() + " s")
          : Optional.of("node " + pin.getValue() + " is gone or not usable");
      why.ifPresent(reason -> {
        kept.remove(pin.getKey());
        LOG.info("{}: replica {} unpinned ({}); kube-scheduler places it", job, pin.getKey(), reason);
      });
    }
    return kept;
  }

  /** How long the pod has been unschedulable, when that is at least the grace. */
  private Optional<Duration> stuck(Pod pod, Instant now) {
    return pod == null ? Optional.empty() : unschedulableSince(pod).map(since -> since.isAfter(now) ? Duration.ZERO
        : Duration.between(since, now)).filter(d -> d.compareTo(grace) >= 0);
  }

  /**
   * Since when kube-scheduler has reported the pod unschedulable (its PodScheduled condition False
   * with reason Unschedulable; the condition's time, or none readable: {@link Instant#MAX}, so only
   * a zero grace drops it at once); empty when it has not.
   */
  static Optional<Instant> unschedulableSince(Pod pod) {
    List<PodCondition> conditions = pod.getStatus() == null || pod.getStatus().getConditions() == null
        ? List.of() : pod.getStatus().getConditions();
    for (PodCondition c : conditions) {
      if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()) && "Unschedulable".equals(c.getReason())) {
        try {
          return Optional.of(c.getLastTransitionTime() == null ? Instant.MAX : Instant.parse(c.getLastTransitionTime()));
        } catch (RuntimeException e) {
          return Optional.of(Instant.MAX);
        }
      }
    }
    return Optional.empty();
  }
}
