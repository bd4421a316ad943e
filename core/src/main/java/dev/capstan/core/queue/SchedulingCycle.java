package dev.capstan.core.queue;

import dev.capstan.api.queue.QueueModel;
import dev.capstan.api.queue.QueueingStrategy;
import dev.capstan.api.queue.StopPolicy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * One scheduling cycle, decided on an immutable snapshot: admitted workloads fill the cache of
 * usage and the nodes; then, repeatedly, the best head of any queue (lowest weighted share of the
 * cohort with it admitted, then priority, then age) is tried: quota (nominal, then borrowing in the
 * cohort), fit (the whole gang or nothing), then preemption. StrictFIFO queues stop at a head that
 * waits; BestEffortFIFO queues go on behind it. Pure and deterministic.
 */
public final class SchedulingCycle {
  private final SchedulingSnapshot snapshot;
  private final SchedulerPolicy policy;
  private final QueueBook book;
  private final AdmittedUsage usage;
  private final NodeFit fit;
  private final Preemption preemption;
  private final Map<String, Preemption.Running> running = new LinkedHashMap<>();
  private final Map<String, AdmissionDecision> decisions;
  /** Why each queued workload waits, by its {@link PendingQueues.Entry#index}; null: it does not. */
  private final List<List<Shortfall>> waiting;
  private final Map<String, List<String>> evictingFor = new HashMap<>();
  private final List<SchedulingResult.Preempted> preemptions = new ArrayList<>();
  private final Map<String, List<String>> placements = new LinkedHashMap<>();
  /** Per gang shape: whether it fits the empty capacity (fixed for the cycle). */
  private final Map<List<PodSet>, Boolean> fitsEmpty = new HashMap<>();
  /** Per queue, per gang shape: the priorities and sizes that waited (see {@link #waitsLike}). */
  private final Map<String, Map<Object, List<Waited>>> waitedAlike = new HashMap<>();
  /** Admitted workloads being preempted: they hold their quota and room until they have stopped. */
  private final List<Preemption.Running> evicting = new ArrayList<>();

  private record Waited(int priority, int pods, List<Shortfall> why) {}

  private SchedulingCycle(SchedulingSnapshot snapshot, SchedulerPolicy policy) {
    this.snapshot = snapshot;
    this.policy = policy;
    int workloads = snapshot.admitted().size() + snapshot.pending().size();
    this.decisions = LinkedHashMap.newLinkedHashMap(workloads);
    this.waiting = new ArrayList<>(Collections.nCopies(snapshot.pending().size(), null));
    this.book = new QueueBook(snapshot);
    this.usage = new AdmittedUsage(book.all());
    this.fit = new NodeFit(snapshot.capacity());
    this.preemption = new Preemption(usage, fit, snapshot.now(), policy.fairSharing());
  }

  public static SchedulingResult run(SchedulingSnapshot snapshot, SchedulerPolicy policy) {
    return new SchedulingCycle(snapshot, policy).decide();
  }

  private SchedulingResult decide() {
    snapshot.admitted().forEach(this::hold);
    countOnNodes(snapshot.admitted());
    PendingQueues pending = new PendingQueues(book, snapshot.pending());
    pending.unqueued().forEach((key, why) -> decisions.put(key, new AdmissionDecision.Waiting("", 0, List.of(why))));
    admitHeads(pending);
    Map<String, SchedulingResult.QueueUsage> queues = new LinkedHashMap<>();
    Map<String, Integer> admittedPerQueue = new HashMap<>();
    running.values().forEach(r -> admittedPerQueue.merge(r.queue().name(), 1, Integer::sum));
    for (QueueModel q : book.all().values()) {
      List<PendingQueues.Entry> entries = pending.byQueue().get(q.name());
      int position = 0;
      for (PendingQueues.Entry e : entries) {
        List<Shortfall> why = waiting.get(e.index());
        if (why != null) {
          decisions.put(e.key(), new AdmissionDecision.Waiting(q.name(), ++position, why));
        }
      }
      int admitted = admittedPerQueue.getOrDefault(q.name(), 0);
      queues.put(q.name(), new SchedulingResult.QueueUsage(q.name(), position, admitted, usage.usage(q.name()), usage.borrowed(q)));
    }
    return new SchedulingResult(decisions, queues, preemptions, placements);
  }

  /** An admitted workload holds its quota and its place on the nodes until it has stopped. */
  private void hold(AdmittedWorkload a) {
    QueueModel q = book.get(a.queue());
    int priority = book.resolve(a.workload()).priority();
    Optional<Eviction> eviction = a.eviction();
    if (eviction.isEmpty() && q.stopPolicy() == StopPolicy.HoldAndDrain) {
      eviction = Optional.of(new Eviction(Optional.empty(), PreemptionReason.QueueDrained,
          "Queue " + q.name() + " has stopPolicy HoldAndDrain"));
      preemptions.add(new SchedulingResult.Preempted(a.key(), eviction.get()));
    }
    Preemption.Running held = new Preemption.Running(a, q, priority, a.workload().demand(), eviction.isPresent());
    running.put(a.key(), held);
    if (held.evicting()) {
      evicting.add(held);
    }
    usage.add(q.name(), a.workload().demand());
    decisions.put(a.key(), eviction.<AdmissionDecision>map(e -> new AdmissionDecision.Preempted(q.name(), e))
        .orElse(new AdmissionDecision.Admitted(q.name())));
    eviction.flatMap(Eviction::preemptor).ifPresent(p -> evictingFor.computeIfAbsent(p, k -> new ArrayList<>()).add(a.key()));
  }

  /**
   * Counts the admitted workloads on the nodes: first those whose nodes are known, where they run,
   * then the others first fit in admission order, so that none of these takes the room one of those
   * holds (it would be charged beyond that node's room and the room it really leaves elsewhere lost).
   */
  private void countOnNodes(List<AdmittedWorkload> admitted) {
    List<AdmittedWorkload> unknown = new ArrayList<>();
    for (AdmittedWorkload a : admitted) {
      if (!fit.placeOn(a.key(), a.workload().podSets(), a.nodes())) {
        unknown.add(a);
      }
    }
    unknown.forEach(a -> fit.placeAdmitted(a.key(), a.workload().podSets()));
  }

  /**
   * Takes heads best first from a heap: a queue's rank depends only on its own usage (the cohort's
   * pool is fixed), so only the queue just tried is ranked again.
   */
  private void admitHeads(PendingQueues pending) {
    record Head(PendingQueues.Entry entry, double rank, int at) {}
    PriorityQueue<Head> heads = new PriorityQueue<>(Comparator.comparingDouble(Head::rank)
        .thenComparing(Head::entry, PendingQueues.ORDER));
    for (List<PendingQueues.Entry> q : pending.byQueue().values()) {
      if (!q.isEmpty()) {
        heads.add(new Head(q.get(0), sharingRank(q.get(0)), 0));
      }
    }
    while (!heads.isEmpty()) {
      Head best = heads.poll();
      List<PendingQueues.Entry> rest = pending.byQueue().get(best.entry().queue().name());
      if (!tryAdmit(best.entry()) && best.entry().queue().strategy() == QueueingStrategy.StrictFIFO) {
        for (int i = best.at() + 1; i < rest.size(); i++) {
          waiting.set(rest.get(i).index(), List.of(Shortfall.about(Shortfall.Kind.BlockedByHead, best.entry().key())));
        }
      } else if (best.at() + 1 < rest.size()) {
        PendingQueues.Entry next = rest.get(best.at() + 1);
        // with no other queue's head left to compare with, the rank decides nothing
        heads.add(new Head(next, heads.isEmpty() ? 0 : sharingRank(next), best.at() + 1));
      }
    }
  }

  private double sharingRank(PendingQueues.Entry e) {
    if (policy.fairSharing()) {
      return usage.weightedShare(e.queue(), e.demand());
    }
    return usage.wouldBorrow(e.queue(), e.demand()) ? 1 : 0;
  }

  /** Admits the workload, or starts the preemptions it needs, or records why it waits; true if admitted. */
  private boolean tryAdmit(PendingQueues.Entry e) {
    QueueModel q = e.queue();
    if (q.stopPolicy() != StopPolicy.None) {
      waiting.set(e.index(), List.of(Shortfall.about(Shortfall.Kind.QueueHeld, q.name())));
      return false;
    }
    List<String> victimsStopping = evictingFor.isEmpty() ? List.of() : evictingFor.getOrDefault(e.key(), List.of());
    if (!victimsStopping.isEmpty()) {
      waiting.set(e.index(), List.of(Shortfall.about(Shortfall.Kind.PreemptionInProgress, String.join(", ", victimsStopping))));
      return false;
    }
    List<PodSet> podSets = e.workload().podSets();
    if (!fitsEmpty.computeIfAbsent(podSets, fit::fitsEmpty)) {
      Shortfall never = fit.shortfall(podSets, Shortfall.Kind.ExceedsCapacity, true);
      if (policy.oversizedGang() == SchedulerPolicy.OversizedGang.Reject) {
        decisions.put(e.key(), new AdmissionDecision.Rejected(List.of(never)));
      } else {
        waiting.set(e.index(), List.of(never));
      }
      return false;
    }
    if (waitsLike(e)) {
      return false;
    }
    List<Shortfall> quota = usage.shortfalls(q, e.demand());
    if (quota.isEmpty() && fit.placeIfRoom(e.key(), podSets)) {
      admit(e);
      return true;
    }
    if (preemption.fitsOnceEvictionsEnd(e, evicting)) {
      waits(e, List.of(Shortfall.about(Shortfall.Kind.PreemptionInProgress, "the workloads being preempted")));
      return false;
    }
    List<Preemption.Victim> victims = preemption.find(e, running.values());
    if (!victims.isEmpty()) {
      startPreemptions(e, victims);
      return false;
    }
    waits(e, quota.isEmpty() ? List.of(fit.shortfall(podSets, Shortfall.Kind.InsufficientCapacity, false)) : quota);
    return false;
  }

  /**
   * Whether the workload waits as one of the same queue and gang shape (or a smaller gang of the
   * same pod) and no lower priority did earlier in the cycle, with nothing admitted since to its
   * queue or cohort: within a cycle free room only shrinks, and a workload being preempted is no
   * candidate any more, so quota, fit and the victims it could take are the same or worse and it
   * waits without searching again (a long queue of like jobs costs one search per cycle). Outside a
   * cohort, or with fair sharing, where the candidates from other queues shrink with priority; not
   * for Kueue's classic borrowing rules, where a lower priority can turn a reclaim into a borrow
   * with other candidates.
   */
  private boolean waitsLike(PendingQueues.Entry e) {
    List<Waited> like = waitedAlike.getOrDefault(e.queue().name(), Map.of()).get(shape(e));
    if (like == null) {
      return false;
    }
    int pods = pods(e);
    for (Waited w : like) {
      if (e.priority() <= w.priority() && pods >= w.pods()) {
        waiting.set(e.index(), w.why());
        return true;
      }
    }
    return false;
  }

  private void waits(PendingQueues.Entry e, List<Shortfall> why) {
    waiting.set(e.index(), why);
    if (e.queue().cohort().isEmpty() || policy.fairSharing()) {
      waitedAlike.computeIfAbsent(e.queue().name(), k -> new HashMap<>()).computeIfAbsent(shape(e), k -> new ArrayList<>())
          .add(new Waited(e.priority(), pods(e), why));
    }
  }

  /** A gang of one pod set is like any other of the same pod (a larger one waits where a smaller did); otherwise the pod sets exactly. */
  private static Object shape(PendingQueues.Entry e) {
    List<PodSet> podSets = e.workload().podSets();
    return podSets.size() == 1 ? podSets.get(0).perPod() : podSets;
  }

  private static int pods(PendingQueues.Entry e) {
    List<PodSet> podSets = e.workload().podSets();
    return podSets.size() == 1 ? podSets.get(0).count() : 0;
  }

  private void admit(PendingQueues.Entry e) {
    forgetWaitsThatCouldTake(e.queue());
    usage.add(e.queue().name(), e.demand());
    AdmittedWorkload a = new AdmittedWorkload(e.workload(), e.queue().name(), snapshot.now());
    running.put(e.key(), new Preemption.Running(a, e.queue(), e.priority(), e.demand(), false));
    decisions.put(e.key(), new AdmissionDecision.Admitted(e.queue().name()));
    placements.put(e.key(), fit.nodesOf(e.key()));
  }

  /** A workload admitted to the queue is a new candidate victim for its queue and its cohort: their like workloads search again. */
  private void forgetWaitsThatCouldTake(QueueModel q) {
    waitedAlike.remove(q.name());
    if (q.cohort().isPresent()) {
      book.all().values().stream().filter(m -> m.cohort().equals(q.cohort())).forEach(m -> waitedAlike.remove(m.name()));
    }
  }

  private void startPreemptions(PendingQueues.Entry e, List<Preemption.Victim> victims) {
    List<String> keys = new ArrayList<>();
    for (Preemption.Victim v : victims) {
      Preemption.Running r = v.running();
      Eviction eviction = new Eviction(Optional.of(e.key()), v.reason(), describe(e, r, v.reason()));
      Preemption.Running stopping = new Preemption.Running(r.admitted(), r.queue(), r.priority(), r.demand(), true);
      running.put(r.key(), stopping);
      evicting.add(stopping);
      decisions.put(r.key(), new AdmissionDecision.Preempted(r.queue().name(), eviction));
      preemptions.add(new SchedulingResult.Preempted(r.key(), eviction));
      keys.add(r.key());
    }
    waiting.set(e.index(), List.of(Shortfall.about(Shortfall.Kind.PreemptionInProgress, String.join(", ", keys))));
  }

  private static String describe(PendingQueues.Entry e, Preemption.Running victim, PreemptionReason reason) {
    String why = switch (reason) {
      case WithinQueue -> "it has lower priority (" + victim.priority() + " < " + e.priority() + ") in Queue " + e.queue().name();
      case CohortReclaim -> "Queue " + e.queue().name() + " reclaims the quota Queue " + victim.queue().name() + " borrowed";
      case CohortBorrow -> "it has lower priority (" + victim.priority() + " < " + e.priority() + ") and "
          + e.queue().name() + " borrows in the cohort";
      case CohortFairSharing -> "Queue " + victim.queue().name() + " is further above its weighted share of the cohort than Queue "
          + e.queue().name() + " would be with it";
      case QueueDrained -> "its queue is drained";
    };
    return "preempted by " + e.key() + " (priority " + e.priority() + "): " + why;
  }
}
