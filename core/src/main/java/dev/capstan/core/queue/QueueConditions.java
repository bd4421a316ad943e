package dev.capstan.core.queue;

import dev.capstan.api.queue.QueueModel;
import dev.capstan.core.status.Conditions;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A Queue's {@code Active} condition, the one Kueue's ClusterQueues carry: True while the scheduler
 * admits through it (saying so when its cohort has no other member, which is often a misspelt
 * cohort name), False with the reason when its spec does not validate and jobs naming it wait.
 */
public final class QueueConditions {
  public static final String ACTIVE = "Active";

  public enum Reason { Ready, CohortHasNoOtherQueue, InvalidSpec }

  private QueueConditions() {}

  /** The conditions of a valid {@code queue}, one of {@code all} the valid queues. */
  public static List<Condition> valid(List<Condition> current, QueueModel queue, List<QueueModel> all, Instant now,
      long generation) {
    Optional<String> alone = queue.cohort()
        .filter(cohort -> all.stream().noneMatch(q -> !q.name().equals(queue.name()) && q.cohort().equals(Optional.of(cohort))));
    if (alone.isPresent()) {
      return Conditions.set(current, ACTIVE, true, Reason.CohortHasNoOtherQueue, "admitting workloads; cohort '"
          + alone.get() + "' has no other Queue, so there is nothing to borrow or lend until one joins", now, generation);
    }
    return Conditions.set(current, ACTIVE, true, Reason.Ready, "admitting workloads", now, generation);
  }

  /** The conditions of a queue whose spec does not validate: nothing is admitted through it. */
  public static List<Condition> invalid(List<Condition> current, String problem, Instant now, long generation) {
    return Conditions.set(current, ACTIVE, false, Reason.InvalidSpec, "not admitting: " + problem, now, generation);
  }
}
