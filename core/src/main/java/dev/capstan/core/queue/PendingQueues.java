package dev.capstan.core.queue;

import dev.capstan.api.queue.QueueModel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pending workloads per queue, each queue ordered by priority (highest first), then creation
 * (oldest first), then key, so every cycle sees the same order. Workloads with no queue to wait in
 * (a missing queue or priority class) are set aside with why.
 */
final class PendingQueues {
  /** A queued workload; {@code index} numbers the queued ones from 0, so a cycle can keep per-workload state in arrays. */
  record Entry(QueueableWorkload workload, QueueModel queue, int priority, ResourceList demand, int index) {
    String key() {
      return workload.key();
    }
  }

  /** Priority (highest first), then creation (oldest first), then key; written out, as it runs n log n times a cycle. */
  static final Comparator<Entry> ORDER = (a, b) -> {
    int c = Integer.compare(-a.priority(), -b.priority());
    if (c != 0) {
      return c;
    }
    c = a.workload().createdAt().compareTo(b.workload().createdAt());
    return c != 0 ? c : a.workload().key().compareTo(b.workload().key());
  };

  private final Map<String, List<Entry>> byQueue = new LinkedHashMap<>();
  private final Map<String, Shortfall> unqueued = new LinkedHashMap<>();
  private final int queued;

  PendingQueues(QueueBook book, List<QueueableWorkload> pending) {
    book.all().keySet().forEach(name -> byQueue.put(name, new ArrayList<>()));
    int queued = 0;
    for (QueueableWorkload w : pending) {
      QueueBook.Resolution r = book.resolve(w);
      if (r.problem().isPresent()) {
        unqueued.put(w.key(), r.problem().get());
      } else {
        byQueue.get(r.queue().get().name()).add(new Entry(w, r.queue().get(), r.priority(), w.demand(), queued++));
      }
    }
    byQueue.values().forEach(list -> list.sort(ORDER));
    this.queued = queued;
  }

  Map<String, List<Entry>> byQueue() {
    return byQueue;
  }

  /** How many workloads are queued (the entries' indexes run below it). */
  int queued() {
    return queued;
  }

  Map<String, Shortfall> unqueued() {
    return unqueued;
  }
}
