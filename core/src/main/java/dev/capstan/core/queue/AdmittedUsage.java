package dev.capstan.core.queue;

import dev.capstan.api.queue.QueueModel;
import dev.capstan.api.queue.Quota;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cache of admitted usage: what each queue's admitted workloads use, and from it what a queue
 * may still use of each resource (Kueue's accounting). In a cohort, each member's nominal quota is
 * split into what only it may use ({@code nominal - lendingLimit}) and what it lends to the pool;
 * usage above a member's own part draws on the pool; a borrowing limit caps a member's usage at
 * {@code nominal + borrowingLimit}. Mutable, so a cycle can try admissions and preemptions and undo them.
 */
final class AdmittedUsage {
  private final Map<String, QueueModel> queues;
  private final Map<String, List<QueueModel>> cohorts = new HashMap<>();
  private final Map<String, ResourceList> usage = new HashMap<>();
  private final Map<String, Map<String, Long>> pools = new HashMap<>();

  AdmittedUsage(Map<String, QueueModel> queues) {
    this.queues = queues;
    for (QueueModel q : queues.values()) {
      q.cohort().ifPresent(c -> cohorts.computeIfAbsent(c, k -> new ArrayList<>()).add(q));
    }
  }

  /** The queues of a cohort. */
  List<QueueModel> cohort(String name) {
    return cohorts.getOrDefault(name, List.of());
  }

  void add(String queue, ResourceList amount) {
    usage.merge(queue, amount, ResourceList::plus);
  }

  void remove(String queue, ResourceList amount) {
    usage.put(queue, usage(queue).minus(amount));
  }

  ResourceList usage(String queue) {
    return usage.getOrDefault(queue, ResourceList.EMPTY);
  }

  /** What of the queue's usage of a resource is above its nominal quota. */
  long borrowed(QueueModel q, String resource) {
    return q.limits(resource) ? Math.max(0, usage(q.name()).get(resource) - q.quota(resource).nominal()) : 0;
  }

  ResourceList borrowed(QueueModel q) {
    Map<String, Long> m = new HashMap<>();
    usage(q.name()).names().forEach(r -> m.put(r, borrowed(q, r)));
    return ResourceList.of(m);
  }

  boolean borrows(QueueModel q) {
    return usage(q.name()).names().stream().anyMatch(r -> borrowed(q, r) > 0);
  }

  /** What the queue may still use of a resource now. */
  long available(QueueModel q, String resource) {
    long used = usage(q.name()).get(resource);
    Quota quota = q.quota(resource);
    if (q.cohort().isEmpty()) {
      return quota.nominal() - used;
    }
    long ownLeft = Math.max(0, quota.guaranteed() - used);
    long poolLeft = 0;
    for (QueueModel m : cohorts.get(q.cohort().get())) {
      Quota mq = m.quota(resource);
      poolLeft += mq.lendable() - Math.max(0, usage(m.name()).get(resource) - mq.guaranteed());
    }
    long left = ownLeft + poolLeft;
    if (quota.borrowingLimit().isPresent()) {
      left = Math.min(left, quota.nominal() + quota.borrowingLimit().getAsLong() - used);
    }
    return left;
  }

  /** The most of a resource the queue could ever use: its own part and the whole pool, within its borrowing limit. */
  long mostEver(QueueModel q, String resource) {
    Quota quota = q.quota(resource);
    if (q.cohort().isEmpty()) {
      return quota.nominal();
    }
    long most = quota.guaranteed() + pool(q.cohort().get(), resource);
    return quota.borrowingLimit().isPresent() ? Math.min(most, quota.nominal() + quota.borrowingLimit().getAsLong()) : most;
  }

  /** Where the demand does not fit in what the queue may use of the resources it limits: empty when it fits. */
  List<Shortfall> shortfalls(QueueModel q, ResourceList demand) {
    List<Shortfall> out = new ArrayList<>();
    for (String r : demand.names()) {
      if (!q.limits(r)) {
        continue;
      }
      long need = demand.get(r);
      long most = mostEver(q, r);
      if (need > most) {
        out.add(new Shortfall(Shortfall.Kind.ExceedsQuota, r, need, most));
      } else if (need > available(q, r)) {
        out.add(new Shortfall(Shortfall.Kind.QuotaExceeded, r, need, available(q, r)));
      }
    }
    return out;
  }

  /** Whether the demand would take the queue above its nominal quota of some resource. */
  boolean wouldBorrow(QueueModel q, ResourceList demand) {
    return demand.names().stream().anyMatch(r -> q.limits(r) && usage(q.name()).get(r) + demand.get(r) > q.quota(r).nominal());
  }

  /**
   * The queue's dominant resource share with {@code extra} admitted, divided by its weight: the
   * largest fraction of the cohort's lendable pool it would borrow of any resource. Zero outside a cohort.
   */
  double weightedShare(QueueModel q, ResourceList extra) {
    if (q.cohort().isEmpty()) {
      return 0;
    }
    // as share(q, usage.plus(extra)), without building the sum: it runs for every head a cycle ranks
    ResourceList used = usage(q.name());
    double share = 0;
    for (String r : used.names()) {
      share = Math.max(share, borrowedShare(q, r, used.get(r) + extra.get(r)));
    }
    for (String r : extra.names()) {
      if (used.get(r) == 0) {
        share = Math.max(share, borrowedShare(q, r, extra.get(r)));
      }
    }
    return weighted(q, share);
  }

  /** The queue's weighted share with {@code amount} of its usage gone (a victim preempted). */
  double weightedShareWithout(QueueModel q, ResourceList amount) {
    return share(q, usage(q.name()).minus(amount));
  }

  private double share(QueueModel q, ResourceList after) {
    if (q.cohort().isEmpty()) {
      return 0;
    }
    double share = 0;
    for (String r : after.names()) {
      share = Math.max(share, borrowedShare(q, r, after.get(r)));
    }
    return weighted(q, share);
  }

  /** The fraction of the cohort's pool of a resource the queue borrows when it uses {@code used} of it; 0 where it does not borrow. */
  private double borrowedShare(QueueModel q, String resource, long used) {
    if (!q.limits(resource)) {
      return 0;
    }
    long above = used - q.quota(resource).nominal();
    if (above <= 0) {
      return 0;
    }
    long pool = pool(q.cohort().get(), resource);
    return pool == 0 ? Double.MAX_VALUE : (double) above / pool;
  }

  private static double weighted(QueueModel q, double share) {
    if (share == 0) {
      return 0;
    }
    return q.weight() == 0 ? Double.MAX_VALUE : share / q.weight();
  }

  /** The cohort's lendable pool of a resource: what its members lend, fixed for the cycle. */
  private long pool(String cohort, String resource) {
    return pools.computeIfAbsent(cohort, c -> new HashMap<>()).computeIfAbsent(resource,
        r -> cohorts.get(cohort).stream().mapToLong(m -> m.quota(r).lendable()).sum());
  }
}
