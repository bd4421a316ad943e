package dev.capstan.core.queue;

import dev.capstan.api.queue.PreemptionRules;
import dev.capstan.api.queue.QueueModel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Chooses which admitted workloads a pending one preempts, by Kueue's rules: candidates are
 * lower-priority workloads of its own queue (withinQueue), and workloads of queues in its cohort
 * that borrow (reclaimWithinCohort when it fits in its own nominal quota; borrowWithinCohort,
 * lower priority only, when it must borrow itself). Workloads admitted less than their queue's
 * minimumRuntime ago are spared. Candidates are taken other queues first, then lowest priority,
 * then newest admitted, until the workload fits; then each is given back where the workload still
 * fits without it, so the fewest are preempted.
 */
final class Preemption {
  /** An admitted workload as the cycle sees it. */
  record Running(AdmittedWorkload admitted, QueueModel queue, int priority, ResourceList demand, boolean evicting) {
    String key() {
      return admitted.key();
    }
  }

  record Victim(Running running, PreemptionReason reason) {}

  private static final Comparator<Victim> ORDER = Comparator
      .comparingInt((Victim v) -> v.reason() == PreemptionReason.WithinQueue ? 1 : 0)
      .thenComparingInt(v -> v.running().priority())
      .thenComparing(v -> v.running().admitted().admittedAt(), Comparator.reverseOrder())
      .thenComparing(v -> v.running().key());

  private final AdmittedUsage usage;
  private final NodeFit fit;
  private final Instant now;

  Preemption(AdmittedUsage usage, NodeFit fit, Instant now) {
    this.usage = usage;
    this.fit = fit;
    this.now = now;
  }

  /** The fewest victims whose going lets the workload be admitted; empty if none would do. */
  List<Victim> find(PendingQueues.Entry w, Collection<Running> running) {
    List<Victim> removed = new ArrayList<>();
    boolean fits = false;
    for (Victim c : candidates(w, running)) {
      Running r = c.running();
      if (c.reason() != PreemptionReason.WithinQueue && !usage.borrows(r.queue())) {
        continue; // that queue no longer borrows: taking more from it reclaims nothing
      }
      take(r);
      removed.add(c);
      if (fits(w)) {
        fits = true;
        break;
      }
    }
    if (!fits) {
      removed.forEach(v -> giveBack(v.running()));
      return List.of();
    }
    List<Victim> victims = new ArrayList<>(removed);
    for (int i = removed.size() - 2; i >= 0; i--) {
      Victim v = removed.get(i);
      giveBack(v.running());
      if (fits(w)) {
        victims.remove(v);
      } else {
        take(v.running());
      }
    }
    victims.forEach(v -> giveBack(v.running()));
    return victims;
  }

  /** Whether the workload would fit once the workloads already being preempted have stopped: then it waits for them. */
  boolean fitsOnceEvictionsEnd(PendingQueues.Entry w, Collection<Running> running) {
    List<Running> evicting = running.stream().filter(Running::evicting).toList();
    if (evicting.isEmpty()) {
      return false;
    }
    evicting.forEach(this::take);
    boolean fits = fits(w);
    evicting.forEach(this::giveBack);
    return fits;
  }

  private List<Victim> candidates(PendingQueues.Entry w, Collection<Running> running) {
    QueueModel q = w.queue();
    PreemptionRules rules = q.preemption();
    ResourceList ownCandidates = running.stream()
        .filter(r -> !r.evicting() && r.queue().name().equals(q.name()) && r.priority() < w.priority())
        .map(Running::demand).reduce(ResourceList.EMPTY, ResourceList::plus);
    boolean mustBorrow = rules.withinQueue() == PreemptionRules.WithinQueue.LowerPriority
        ? usage.wouldBorrow(q, w.demand().minus(ownCandidates)) : usage.wouldBorrow(q, w.demand());
    List<Victim> out = new ArrayList<>();
    for (Running r : running) {
      if (r.evicting() || !sharesResource(w.demand(), r.demand()) || protectedByMinimumRuntime(r)) {
        continue;
      }
      reason(w, r, rules, mustBorrow).ifPresent(reason -> out.add(new Victim(r, reason)));
    }
    out.sort(ORDER);
    return out;
  }

  private static Optional<PreemptionReason> reason(PendingQueues.Entry w, Running r, PreemptionRules rules, boolean mustBorrow) {
    boolean lower = r.priority() < w.priority();
    if (r.queue().name().equals(w.queue().name())) {
      return rules.withinQueue() == PreemptionRules.WithinQueue.LowerPriority && lower
          ? Optional.of(PreemptionReason.WithinQueue) : Optional.empty();
    }
    if (w.queue().cohort().isEmpty() || !w.queue().cohort().equals(r.queue().cohort())) {
      return Optional.empty();
    }
    if (!mustBorrow) {
      boolean reclaim = switch (rules.reclaimWithinCohort()) {
        case Any -> true;
        case LowerPriority -> lower;
        case Never -> false;
      };
      return reclaim ? Optional.of(PreemptionReason.CohortReclaim) : Optional.empty();
    }
    boolean borrow = rules.borrowWithinCohort() == PreemptionRules.BorrowWithinCohort.LowerPriority && lower
        && r.priority() <= rules.borrowThreshold().orElse(Integer.MAX_VALUE);
    return borrow ? Optional.of(PreemptionReason.CohortBorrow) : Optional.empty();
  }

  private boolean protectedByMinimumRuntime(Running r) {
    return now.isBefore(r.admitted().admittedAt().plus(r.queue().minimumRuntime()));
  }

  private static boolean sharesResource(ResourceList a, ResourceList b) {
    return a.names().stream().anyMatch(n -> b.get(n) > 0);
  }

  private boolean fits(PendingQueues.Entry w) {
    if (!usage.shortfalls(w.queue(), w.demand()).isEmpty() || !fit.place(w.key(), w.workload().podSets())) {
      return false;
    }
    fit.release(w.key());
    return true;
  }

  private void take(Running r) {
    usage.remove(r.queue().name(), r.demand());
    fit.release(r.key());
  }

  private void giveBack(Running r) {
    usage.add(r.queue().name(), r.demand());
    fit.placeAdmitted(r.key(), r.admitted().workload().podSets());
  }
}
