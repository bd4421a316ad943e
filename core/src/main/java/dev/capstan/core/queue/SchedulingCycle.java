package dev.capstan.core.queue;

import dev.capstan.api.queue.QueueModel;
import dev.capstan.api.queue.QueueingStrategy;
import dev.capstan.api.queue.StopPolicy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

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
  private final Map<String, AdmissionDecision> decisions = new LinkedHashMap<>();
  private final Map<String, List<Shortfall>> waiting = new HashMap<>();
  private final Map<String, List<String>> evictingFor = new HashMap<>();
  private final List<SchedulingResult.Preempted> preemptions = new ArrayList<>();
  /** Per gang shape: whether it fits the empty capacity (fixed for the cycle). */
  private final Map<List<PodSet>, Boolean> fitsEmpty = new HashMap<>();
  /** Per gang shape: a workload that waited with nothing admitted or preempted since (see {@link #waitsLike}). */
  private final Map<List<PodSet>, Waited> waitedSinceChange = new HashMap<>();

  private record Waited(String queue, int priority, ResourceList demand, List<Shortfall> why) {}

  private SchedulingCycle(SchedulingSnapshot snapshot, SchedulerPolicy policy) {
    this.snapshot = snapshot;
    this.policy = policy;
    this.book = new QueueBook(snapshot);
    this.usage = new AdmittedUsage(book.all());
    this.fit = new NodeFit(snapshot.capacity());
    this.preemption = new Preemption(usage, fit, snapshot.now());
  }

  public static SchedulingResult run(SchedulingSnapshot snapshot, SchedulerPolicy policy) {
    return new SchedulingCycle(snapshot, policy).decide();
  }

  private SchedulingResult decide() {
    snapshot.admitted().forEach(this::hold);
    PendingQueues pending = new PendingQueues(book, snapshot.pending());
    pending.unqueued().forEach((key, why) -> decisions.put(key, new AdmissionDecision.Waiting("", 0, List.of(why))));
    admitHeads(pending);
    Map<String, SchedulingResult.QueueUsage> queues = new LinkedHashMap<>();
    for (QueueModel q : book.all().values()) {
      List<PendingQueues.Entry> entries = pending.byQueue().get(q.name());
      int position = 0;
      for (PendingQueues.Entry e : entries) {
        List<Shortfall> why = waiting.get(e.key());
        if (why != null) {
          decisions.put(e.key(), new AdmissionDecision.Waiting(q.name(), ++position, why));
        }
      }
      int admitted = (int) running.values().stream().filter(r -> r.queue().name().equals(q.name())).count();
      queues.put(q.name(), new SchedulingResult.QueueUsage(q.name(), position, admitted, usage.usage(q.name()), usage.borrowed(q)));
    }
    return new SchedulingResult(decisions, queues, preemptions);
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
    running.put(a.key(), new Preemption.Running(a, q, priority, a.workload().demand(), eviction.isPresent()));
    usage.add(q.name(), a.workload().demand());
    fit.placeAdmitted(a.key(), a.workload().podSets());
    decisions.put(a.key(), eviction.<AdmissionDecision>map(e -> new AdmissionDecision.Preempted(q.name(), e))
        .orElse(new AdmissionDecision.Admitted(q.name())));
    eviction.flatMap(Eviction::preemptor).ifPresent(p -> evictingFor.computeIfAbsent(p, k -> new ArrayList<>()).add(a.key()));
  }

  private void admitHeads(PendingQueues pending) {
    Map<String, Integer> cursor = new HashMap<>();
    Set<String> blocked = new HashSet<>();
    Comparator<PendingQueues.Entry> order = Comparator.comparingDouble(this::sharingRank).thenComparing(PendingQueues.ORDER);
    while (true) {
      PendingQueues.Entry best = null;
      for (Map.Entry<String, List<PendingQueues.Entry>> q : pending.byQueue().entrySet()) {
        int at = cursor.getOrDefault(q.getKey(), 0);
        if (at < q.getValue().size() && !blocked.contains(q.getKey())) {
          PendingQueues.Entry head = q.getValue().get(at);
          if (best == null || order.compare(head, best) < 0) {
            best = head;
          }
        }
      }
      if (best == null) {
        return;
      }
      String queue = best.queue().name();
      cursor.merge(queue, 1, Integer::sum);
      if (!tryAdmit(best) && best.queue().strategy() == QueueingStrategy.StrictFIFO) {
        blocked.add(queue);
        List<PendingQueues.Entry> rest = pending.byQueue().get(queue);
        for (int i = cursor.get(queue); i < rest.size(); i++) {
          waiting.put(rest.get(i).key(), List.of(Shortfall.about(Shortfall.Kind.BlockedByHead, best.key())));
        }
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
      waiting.put(e.key(), List.of(Shortfall.about(Shortfall.Kind.QueueHeld, q.name())));
      return false;
    }
    List<String> victimsStopping = evictingFor.getOrDefault(e.key(), List.of());
    if (!victimsStopping.isEmpty()) {
      waiting.put(e.key(), List.of(Shortfall.about(Shortfall.Kind.PreemptionInProgress, String.join(", ", victimsStopping))));
      return false;
    }
    List<PodSet> podSets = e.workload().podSets();
    if (!fitsEmpty.computeIfAbsent(podSets, fit::fitsEmpty)) {
      Shortfall never = fit.shortfall(podSets, Shortfall.Kind.ExceedsCapacity, true);
      if (policy.oversizedGang() == SchedulerPolicy.OversizedGang.Reject) {
        decisions.put(e.key(), new AdmissionDecision.Rejected(List.of(never)));
      } else {
        waiting.put(e.key(), List.of(never));
      }
      return false;
    }
    if (waitsLike(e)) {
      return false;
    }
    List<Shortfall> quota = usage.shortfalls(q, e.demand());
    if (quota.isEmpty() && fit.place(e.key(), podSets)) {
      admit(e);
      return true;
    }
    if (preemption.fitsOnceEvictionsEnd(e, running.values())) {
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
   * Whether the workload waits as one of the same gang shape, queue and no lower priority did with
   * nothing admitted or preempted since: then quota, fit and the victims it could take are the same
   * or fewer, so it waits for the same reasons without searching again (a long queue of like jobs
   * costs one search per cycle). Only outside a cohort, where borrowing does not depend on priority.
   */
  private boolean waitsLike(PendingQueues.Entry e) {
    Waited w = waitedSinceChange.get(e.workload().podSets());
    if (w == null || !w.queue().equals(e.queue().name()) || e.priority() > w.priority() || !w.demand().equals(e.demand())
        || e.queue().cohort().isPresent()) {
      return false;
    }
    waiting.put(e.key(), w.why());
    return true;
  }

  private void waits(PendingQueues.Entry e, List<Shortfall> why) {
    waiting.put(e.key(), why);
    if (e.queue().cohort().isEmpty()) {
      waitedSinceChange.put(e.workload().podSets(), new Waited(e.queue().name(), e.priority(), e.demand(), why));
    }
  }

  private void admit(PendingQueues.Entry e) {
    waitedSinceChange.clear();
    usage.add(e.queue().name(), e.demand());
    AdmittedWorkload a = new AdmittedWorkload(e.workload(), e.queue().name(), snapshot.now());
    running.put(e.key(), new Preemption.Running(a, e.queue(), e.priority(), e.demand(), false));
    decisions.put(e.key(), new AdmissionDecision.Admitted(e.queue().name()));
  }

  private void startPreemptions(PendingQueues.Entry e, List<Preemption.Victim> victims) {
    waitedSinceChange.clear();
    List<String> keys = new ArrayList<>();
    for (Preemption.Victim v : victims) {
      Preemption.Running r = v.running();
      Eviction eviction = new Eviction(Optional.of(e.key()), v.reason(), describe(e, r, v.reason()));
      running.put(r.key(), new Preemption.Running(r.admitted(), r.queue(), r.priority(), r.demand(), true));
      decisions.put(r.key(), new AdmissionDecision.Preempted(r.queue().name(), eviction));
      preemptions.add(new SchedulingResult.Preempted(r.key(), eviction));
      keys.add(r.key());
    }
    waiting.put(e.key(), List.of(Shortfall.about(Shortfall.Kind.PreemptionInProgress, String.join(", ", keys))));
  }

  private static String describe(PendingQueues.Entry e, Preemption.Running victim, PreemptionReason reason) {
    String why = switch (reason) {
      case WithinQueue -> "it has lower priority (" + victim.priority() + " < " + e.priority() + ") in Queue " + e.queue().name();
      case CohortReclaim -> "Queue " + e.queue().name() + " reclaims the quota Queue " + victim.queue().name() + " borrowed";
      case CohortBorrow -> "it has lower priority (" + victim.priority() + " < " + e.priority() + ") and "
          + e.queue().name() + " borrows in the cohort";
      case QueueDrained -> "its queue is drained";
    };
    return "preempted by " + e.key() + " (priority " + e.priority() + "): " + why;
  }
}
