package dev.capstan.core.queue;

import dev.capstan.api.queue.PreemptionRules;
import dev.capstan.api.queue.QueueModel;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Chooses which admitted workloads a pending one preempts, by Kueue's rules: candidates are
 * lower-priority workloads of its own queue (withinQueue), and workloads of queues in its cohort
 * that borrow (reclaimWithinCohort when it fits in its own nominal quota; borrowWithinCohort,
 * lower priority only, when it must borrow itself). Workloads admitted less than their queue's
 * minimumRuntime ago are spared. Candidates are taken other queues first, then lowest priority,
 * then newest admitted, until the workload fits; then each is given back where the workload still
 * fits without it, so the fewest are preempted.
 *
 * <p>With fair sharing, in a cohort (Kueue's fair-sharing preemption): workloads of other queues
 * are candidates as reclaimWithinCohort (or borrowWithinCohort) allows, whether the preemptor
 * borrows or not, and are taken from the queue with the highest weighted share first, lowest
 * priority then newest within it, only while the preemption leaves the victim's queue no lower
 * than the preemptor's: first while the preemptor's share with the workload is at most the
 * victim queue's share without the victim (LessThanOrEqualToFinalShare), then, if that is not
 * enough, while it is below the victim queue's share now (LessThanInitialShare). A queue whose
 * next candidate fails the rule is passed over for the rest of that round.
 */
final class Preemption {
  /** An admitted workload as the cycle sees it. */
  record Running(AdmittedWorkload admitted, QueueModel queue, int priority, ResourceList demand, boolean evicting) {
    String key() {
      return admitted.key();
    }
  }

  record Victim(Running running, PreemptionReason reason) {}

  private enum FairRule { LessThanOrEqualToFinalShare, LessThanInitialShare }

  private static final Comparator<Victim> ORDER = Comparator
      .comparingInt((Victim v) -> v.reason() == PreemptionReason.WithinQueue ? 1 : 0)
      .thenComparingInt(v -> v.running().priority())
      .thenComparing(v -> v.running().admitted().admittedAt(), Comparator.reverseOrder())
      .thenComparing(v -> v.running().key());

  private final AdmittedUsage usage;
  private final NodeFit fit;
  private final Instant now;
  private final boolean fairSharing;

  Preemption(AdmittedUsage usage, NodeFit fit, Instant now, boolean fairSharing) {
    this.usage = usage;
    this.fit = fit;
    this.now = now;
    this.fairSharing = fairSharing;
  }

  /** The fewest victims whose going lets the workload be admitted; empty if none would do. */
  List<Victim> find(PendingQueues.Entry w, Collection<Running> running) {
    boolean fair = fairSharing && w.queue().cohort().isPresent();
    List<Victim> candidates = candidates(w, running, fair);
    if (candidates.isEmpty() || !fitsWithoutAll(w, candidates)) {
      return List.of();
    }
    List<Victim> removed = fair ? takeFairly(w, candidates) : takeInOrder(w, candidates);
    if (removed.isEmpty()) {
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

  /** Takes candidates in order until the workload fits: those taken, or none (all given back) if it never does. */
  private List<Victim> takeInOrder(PendingQueues.Entry w, List<Victim> candidates) {
    List<Victim> removed = new ArrayList<>();
    for (Victim c : candidates) {
      Running r = c.running();
      if (c.reason() != PreemptionReason.WithinQueue && !usage.borrows(r.queue())) {
        continue; // that queue no longer borrows: taking more from it reclaims nothing
      }
      take(r);
      removed.add(c);
      if (fits(w)) {
        return removed;
      }
    }
    removed.forEach(v -> giveBack(v.running()));
    return List.of();
  }

  /** Fair sharing: takes from the queue furthest above its share while each rule in turn allows, until the workload fits. */
  private List<Victim> takeFairly(PendingQueues.Entry w, List<Victim> candidates) {
    List<Victim> removed = new ArrayList<>();
    for (FairRule rule : FairRule.values()) {
      Map<String, Deque<Victim>> left = new LinkedHashMap<>();
      for (Victim c : candidates) {
        if (!removed.contains(c)) {
          left.computeIfAbsent(c.running().queue().name(), k -> new ArrayDeque<>()).add(c);
        }
      }
      while (!left.isEmpty()) {
        String target = furthestAboveShare(w, left);
        Victim c = left.get(target).poll();
        if (left.get(target).isEmpty()) {
          left.remove(target);
        }
        if (c.reason() != PreemptionReason.WithinQueue && !allows(rule, w, c.running())) {
          left.remove(target);
          continue;
        }
        take(c.running());
        removed.add(c);
        if (fits(w)) {
          return removed;
        }
      }
    }
    removed.forEach(v -> giveBack(v.running()));
    return List.of();
  }

  /** The queue with the highest weighted share now (the preemptor's own with the workload admitted); ties by name. */
  private String furthestAboveShare(PendingQueues.Entry w, Map<String, Deque<Victim>> left) {
    String best = null;
    double bestShare = -1;
    for (Map.Entry<String, Deque<Victim>> e : left.entrySet()) {
      QueueModel q = e.getValue().peek().running().queue();
      double share = q.name().equals(w.queue().name()) ? usage.weightedShare(q, w.demand()) : usage.weightedShare(q, ResourceList.EMPTY);
      if (share > bestShare || share == bestShare && e.getKey().compareTo(best) < 0) {
        best = e.getKey();
        bestShare = share;
      }
    }
    return best;
  }

  /** Whether preempting the victim leaves its queue's share no lower than the preemptor's, by the rule. */
  private boolean allows(FairRule rule, PendingQueues.Entry w, Running victim) {
    if (!usage.borrows(victim.queue())) {
      return false;
    }
    double preemptor = usage.weightedShare(w.queue(), w.demand());
    return switch (rule) {
      case LessThanOrEqualToFinalShare -> preemptor <= usage.weightedShareWithout(victim.queue(), victim.demand());
      case LessThanInitialShare -> preemptor < usage.weightedShare(victim.queue(), ResourceList.EMPTY);
    };
  }

  /**
   * A cheap bound before any search: whether the workload's quota and the total free room would
   * cover it with every candidate gone. If not, no subset of them will do.
   */
  private boolean fitsWithoutAll(PendingQueues.Entry w, List<Victim> candidates) {
    ResourceList freed = ResourceList.EMPTY;
    for (Victim c : candidates) {
      usage.remove(c.running().queue().name(), c.running().demand());
      freed = freed.plus(c.running().demand());
    }
    boolean quota = usage.shortfalls(w.queue(), w.demand()).isEmpty();
    for (Victim c : candidates) {
      usage.add(c.running().queue().name(), c.running().demand());
    }
    return quota && fit.mightFitWith(w.workload().podSets(), freed);
  }

  /** Whether the workload would fit once the workloads already being preempted have stopped: then it waits for them. */
  boolean fitsOnceEvictionsEnd(PendingQueues.Entry w, List<Running> evicting) {
    if (evicting.isEmpty()) {
      return false;
    }
    evicting.forEach(this::take);
    boolean fits = fits(w);
    evicting.forEach(this::giveBack);
    return fits;
  }

  private List<Victim> candidates(PendingQueues.Entry w, Collection<Running> running, boolean fair) {
    QueueModel q = w.queue();
    PreemptionRules rules = q.preemption();
    Set<String> queues = queuesToTakeFrom(w, fair);
    if (queues.isEmpty()) {
      return List.of();
    }
    boolean mustBorrow = fair ? usage.wouldBorrow(q, w.demand()) : mustBorrow(w, running);
    List<Victim> out = new ArrayList<>();
    for (Running r : running) {
      if (!queues.contains(r.queue().name()) || r.evicting() || !sharesResource(w.demand(), r.demand()) || protectedByMinimumRuntime(r)) {
        continue;
      }
      (fair ? fairReason(w, r, rules, mustBorrow) : reason(w, r, rules, mustBorrow)).ifPresent(reason -> out.add(new Victim(r, reason)));
    }
    out.sort(ORDER);
    return out;
  }

  /**
   * The queues a victim may come from: the workload's own where its rules allow, and the queues of
   * its cohort that borrow now (with fair sharing, only those whose share is at least the workload's
   * queue's with it: taking victims only lowers theirs). Empty: no search at all.
   */
  private Set<String> queuesToTakeFrom(PendingQueues.Entry w, boolean fair) {
    QueueModel q = w.queue();
    PreemptionRules rules = q.preemption();
    Set<String> out = new HashSet<>();
    if (rules.withinQueue() == PreemptionRules.WithinQueue.LowerPriority) {
      out.add(q.name());
    }
    boolean others = rules.reclaimWithinCohort() != PreemptionRules.Reclaim.Never
        || rules.borrowWithinCohort() != PreemptionRules.BorrowWithinCohort.Never;
    if (q.cohort().isEmpty() || !others) {
      return out;
    }
    double preemptor = fair ? usage.weightedShare(q, w.demand()) : 0;
    for (QueueModel m : usage.cohort(q.cohort().get())) {
      if (!m.name().equals(q.name()) && usage.borrows(m) && (!fair || usage.weightedShare(m, ResourceList.EMPTY) >= preemptor)) {
        out.add(m.name());
      }
    }
    return out;
  }

  /** Whether the workload would borrow even with every lower-priority workload of its queue preempted (where its rules allow that). */
  private boolean mustBorrow(PendingQueues.Entry w, Collection<Running> running) {
    QueueModel q = w.queue();
    if (q.preemption().withinQueue() != PreemptionRules.WithinQueue.LowerPriority) {
      return usage.wouldBorrow(q, w.demand());
    }
    ResourceList ownCandidates = ResourceList.EMPTY;
    for (Running r : running) {
      if (!r.evicting() && r.queue().name().equals(q.name()) && r.priority() < w.priority()) {
        ownCandidates = ownCandidates.plus(r.demand());
      }
    }
    return usage.wouldBorrow(q, w.demand().minus(ownCandidates));
  }

  /**
   * Fair sharing: another queue's workload is a candidate where reclaim or borrowing rules allow it;
   * the share rules decide later. Reclaim while the preemptor stays within its nominal quota.
   */
  private static Optional<PreemptionReason> fairReason(PendingQueues.Entry w, Running r, PreemptionRules rules, boolean borrows) {
    boolean lower = r.priority() < w.priority();
    if (r.queue().name().equals(w.queue().name())) {
      return rules.withinQueue() == PreemptionRules.WithinQueue.LowerPriority && lower
          ? Optional.of(PreemptionReason.WithinQueue) : Optional.empty();
    }
    if (!w.queue().cohort().equals(r.queue().cohort())) {
      return Optional.empty();
    }
    boolean reclaim = switch (rules.reclaimWithinCohort()) {
      case Any -> true;
      case LowerPriority -> lower;
      case Never -> false;
    };
    boolean borrow = rules.borrowWithinCohort() == PreemptionRules.BorrowWithinCohort.LowerPriority && lower
        && r.priority() <= rules.borrowThreshold().orElse(Integer.MAX_VALUE);
    if (!reclaim && !borrow) {
      return Optional.empty();
    }
    return Optional.of(borrows ? PreemptionReason.CohortFairSharing : PreemptionReason.CohortReclaim);
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
    for (String n : a.names()) {
      if (b.get(n) > 0) {
        return true;
      }
    }
    return false;
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
    fit.park(r.key());
  }

  private void giveBack(Running r) {
    usage.add(r.queue().name(), r.demand());
    fit.restore(r.key());
  }
}
