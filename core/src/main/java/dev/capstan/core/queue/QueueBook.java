package dev.capstan.core.queue;

import dev.capstan.api.queue.Priorities;
import dev.capstan.api.queue.QueueModel;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The queues of a snapshot by name (with the implicit {@code default} unless a Queue replaces it),
 * and where a workload goes: the queue it names, else the first queue (by name) that lists or
 * selects its namespace, else the implicit one.
 */
final class QueueBook {
  /** A workload's queue and priority, or why it has none. */
  record Resolution(Optional<QueueModel> queue, int priority, Optional<Shortfall> problem) {}

  private final Map<String, QueueModel> queues = new LinkedHashMap<>();
  private final SchedulingSnapshot snapshot;

  QueueBook(SchedulingSnapshot snapshot) {
    this.snapshot = snapshot;
    snapshot.queues().stream().sorted(Comparator.comparing(QueueModel::name)).forEach(q -> queues.put(q.name(), q));
    queues.putIfAbsent(QueueModel.DEFAULT, QueueModel.implicitDefault());
  }

  Map<String, QueueModel> all() {
    return queues;
  }

  QueueModel get(String name) {
    return queues.getOrDefault(name, queues.get(QueueModel.DEFAULT));
  }

  Resolution resolve(QueueableWorkload w) {
    Map<String, String> labels = snapshot.namespaceLabels().getOrDefault(w.namespace(), Map.of());
    Optional<Integer> given = w.priority();
    Optional<String> className = w.priorityClassName();
    Integer classValue = className.map(snapshot.priorityClasses()::get).orElse(null);
    int priority = given.orElse(classValue == null ? Priorities.DEFAULT : classValue);
    if (given.isEmpty() && className.isPresent() && classValue == null) {
      return new Resolution(Optional.empty(), priority, Optional.of(Shortfall.about(Shortfall.Kind.PriorityClassNotFound, className.get())));
    }
    if (w.queueName().isPresent()) {
      QueueModel q = queues.get(w.queueName().get());
      if (q == null) {
        return new Resolution(Optional.empty(), priority, Optional.of(Shortfall.about(Shortfall.Kind.QueueNotFound, w.queueName().get())));
      }
      if (!q.namespaces().serves(w.namespace(), labels)) {
        return new Resolution(Optional.empty(), priority, Optional.of(Shortfall.about(Shortfall.Kind.NamespaceNotServed, q.name())));
      }
      return new Resolution(Optional.of(q), priority, Optional.empty());
    }
    for (QueueModel q : queues.values()) {
      boolean chooses = q.namespaces().names().isPresent() || !q.namespaces().matchLabels().isEmpty();
      if (chooses && q.namespaces().serves(w.namespace(), labels)) {
        return new Resolution(Optional.of(q), priority, Optional.empty());
      }
    }
    return new Resolution(Optional.of(queues.get(QueueModel.DEFAULT)), priority, Optional.empty());
  }
}
