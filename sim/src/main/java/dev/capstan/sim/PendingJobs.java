package dev.capstan.sim;

import dev.capstan.core.queue.AttainedServiceLevels;
import dev.capstan.core.queue.QueueableWorkload;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The jobs a replay holds waiting, kept so that a step costs nothing per waiting job: the time a job
 * waits is counted when it leaves (from when it came), the moment it starves (2D-LAS's guard) is
 * worked out once when it comes and kept in order, the priorities waiting are counted per value and
 * the jobs kept by the GPUs they ask for, so the replay can tell at once whether a cycle could change
 * anything and which jobs could fit.
 */
final class PendingJobs {
  private final Optional<AttainedServiceLevels> levels;
  private final Map<String, SimulatedJob> jobs = new LinkedHashMap<>();
  private final TreeMap<Integer, Integer> priorities = new TreeMap<>();
  /** By the GPUs asked for (one gang shape each), in the order core's pending queue takes them: priority, then creation, then key. */
  private final TreeMap<Integer, TreeSet<SimulatedJob>> byGpus = new TreeMap<>();
  private static final Comparator<SimulatedJob> QUEUE_ORDER = Comparator.comparingInt((SimulatedJob j) -> -j.priority().orElse(0))
      .thenComparing(SimulatedJob::createdAt)
      .thenComparing(SimulatedJob::key);
  /** Every waiting job in that order, so the cycle's sort of its queue finds it sorted already. */
  private final TreeSet<SimulatedJob> inQueueOrder = new TreeSet<>(QUEUE_ORDER);
  private final TreeSet<SimulatedJob> byStarvation =
      new TreeSet<>(Comparator.comparingDouble((SimulatedJob j) -> j.starvesAt).thenComparingInt(j -> j.trace.id()));

  PendingJobs(Optional<AttainedServiceLevels> levels) {
    this.levels = levels;
  }

  /** The job waits from {@code now}, at the priority it holds. */
  void add(SimulatedJob j, double now) {
    j.pendingSince = now;
    jobs.put(j.key(), j);
    inQueueOrder.add(j);
    count(priorities, j.priority().orElse(0), 1);
    byGpus.computeIfAbsent(j.trace.gpus(), g -> new TreeSet<>(QUEUE_ORDER)).add(j);
    j.starvesAt = levels.flatMap(l -> {
      var wait = l.secondsToStarvation(j.service, j.ranSinceTop, j.waitedSinceTop);
      return wait.isPresent() ? Optional.of(now + wait.getAsDouble()) : Optional.<Double>empty();
    }).orElse(Double.POSITIVE_INFINITY);
    if (j.starvesAt != Double.POSITIVE_INFINITY) {
      byStarvation.add(j);
    }
  }

  /** Takes the job out at {@code now}, its waiting counted. */
  SimulatedJob remove(String key, double now) {
    SimulatedJob j = jobs.remove(key);
    inQueueOrder.remove(j);
    byStarvation.remove(j);
    count(priorities, j.priority().orElse(0), -1);
    TreeSet<SimulatedJob> bucket = byGpus.get(j.trace.gpus());
    bucket.remove(j);
    if (bucket.isEmpty()) {
      byGpus.remove(j.trace.gpus());
    }
    if (j.ranSinceTop > 0) {
      j.waitedSinceTop += now - j.pendingSince;
    }
    return j;
  }

  boolean contains(String key) {
    return jobs.containsKey(key);
  }

  boolean isEmpty() {
    return jobs.isEmpty();
  }

  /** The highest priority waiting (0 for a job without one); only when not empty. */
  int highestPriority() {
    return priorities.lastKey();
  }

  /** The fewest GPUs a waiting job asks for; only when not empty. */
  int fewestGpus() {
    return byGpus.firstKey();
  }

  /** The first moment a waiting job starves, or infinity. */
  double nextStarvation() {
    return byStarvation.isEmpty() ? Double.POSITIVE_INFINITY : byStarvation.first().starvesAt;
  }

  /** The jobs that starve by {@code now}, taken out and put back as newly waiting at the top level; how many. */
  int promoteStarved(double now, QueueingPolicy policy) {
    List<SimulatedJob> starved = new ArrayList<>();
    while (!byStarvation.isEmpty() && byStarvation.first().starvesAt <= now) {
      starved.add(byStarvation.first());
      remove(byStarvation.first().key(), now);
    }
    for (SimulatedJob j : starved) {
      j.service = 0;
      j.ranSinceTop = 0;
      j.waitedSinceTop = 0;
      j.priority(policy.priority(j));
      add(j, now);
    }
    return starved.size();
  }

  /** Every waiting job, in core's queue order. */
  List<QueueableWorkload> all() {
    return List.copyOf(inQueueOrder);
  }

  /**
   * The waiting jobs that could be admitted now, where no job preempts: of each size that fits the
   * free GPUs, the first as many as would fit them, in queue order. In a best-effort queue a job that
   * waits changes nothing for the others, and once a job of a size does not fit, no later one of that
   * size does (room only shrinks within a cycle), so the cycle admits the same jobs without the rest.
   */
  List<QueueableWorkload> fitting(long freeGpus) {
    List<QueueableWorkload> fitting = new ArrayList<>();
    for (var bucket : byGpus.headMap((int) Math.min(Integer.MAX_VALUE, freeGpus), true).entrySet()) {
      long room = freeGpus / bucket.getKey();
      for (SimulatedJob j : bucket.getValue()) {
        if (room-- == 0) {
          break;
        }
        fitting.add(j);
      }
    }
    return fitting;
  }

  /**
   * The waiting jobs that could be admitted or preempt now, where jobs preempt: those {@link #fitting}
   * the free GPUs, and of those whose priority is above the lowest of a running job that may be
   * preempted, per priority and size, the first {@code free / gpus + victims} in queue order
   * ({@code victims}: the running jobs that may be preempted with a priority below theirs, from
   * {@code preemptible}, their priorities ascending). Within a cycle free GPUs only shrink (victims
   * hold theirs until they stop) and a job being preempted is no victim again, so of one priority and
   * size each job that is admitted takes its GPUs from the free ones and each that preempts takes at
   * least one victim; once one of them waits, every later one waits too. Any job left out can neither
   * be admitted nor take a victim, so in a best-effort queue it changes nothing for the others and the
   * cycle decides the same without it.
   */
  List<QueueableWorkload> actionable(long freeGpus, int[] preemptible) {
    int preemptibleBelow = preemptible.length == 0 ? Integer.MAX_VALUE : preemptible[0];
    List<QueueableWorkload> out = new ArrayList<>();
    Map<Long, Long> taken = new HashMap<>();
    for (SimulatedJob j : inQueueOrder) {
      int priority = j.priority().orElse(0);
      if (priority <= preemptibleBelow) {
        break;
      }
      long room = freeGpus / j.trace.gpus() + below(preemptible, priority);
      if (taken.merge(((long) priority << 32) | j.trace.gpus(), 1L, Long::sum) <= room) {
        out.add(j);
      }
    }
    for (QueueableWorkload w : fitting(freeGpus)) {
      if (((SimulatedJob) w).priority().orElse(0) <= preemptibleBelow) {
        out.add(w);
      }
    }
    return out;
  }

  /** How many of {@code ascending} are below {@code value}. */
  private static int below(int[] ascending, int value) {
    int at = Arrays.binarySearch(ascending, value);
    if (at < 0) {
      return -at - 1;
    }
    while (at > 0 && ascending[at - 1] == value) {
      at--;
    }
    return at;
  }

  Collection<String> keys() {
    return jobs.keySet();
  }

  private static void count(TreeMap<Integer, Integer> counts, int value, int delta) {
    counts.merge(value, delta, (a, b) -> a + b == 0 ? null : a + b);
  }
}
