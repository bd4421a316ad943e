package dev.capstan.local.queue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.codec.Manifests;
import dev.capstan.api.queue.Priorities;
import dev.capstan.api.queue.Queue;
import dev.capstan.api.queue.QueueModel;
import dev.capstan.api.queue.QueueStatus;
import dev.capstan.api.queue.WorkloadPriorityClass;
import dev.capstan.core.queue.QueueConditions;
import dev.capstan.core.queue.QueueStore;
import dev.capstan.core.queue.SchedulingResult;
import dev.capstan.local.store.FileResourceStore;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Queues and priority classes kept in the embedded store, as the scheduler's port sees them. Both
 * kinds are cluster-scoped: locally they may be stored under any namespace and count once by name
 * (the first namespace in order wins). Each queue's status is written after a cycle, when it changed.
 */
public final class StoredQueues implements QueueStore {
  private final FileResourceStore store;

  public StoredQueues(FileResourceStore store) {
    this.store = store;
  }

  @Override
  public Setup read() {
    Map<String, QueueModel> queues = new LinkedHashMap<>();
    for (ObjectNode node : live(Queue.PLURAL)) {
      try {
        QueueModel q = QueueModel.from(Manifests.json().convertValue(node, Queue.class));
        queues.putIfAbsent(q.name(), q);
      } catch (RuntimeException e) {
        skip(Queue.KIND, node, e);
      }
    }
    Map<String, Integer> classes = new HashMap<>();
    for (ObjectNode node : live(WorkloadPriorityClass.PLURAL)) {
      try {
        WorkloadPriorityClass pc = Manifests.json().convertValue(node, WorkloadPriorityClass.class);
        classes.putIfAbsent(pc.getMetadata().getName(), Priorities.value(pc));
      } catch (RuntimeException e) {
        skip(WorkloadPriorityClass.KIND, node, e);
      }
    }
    return new Setup(List.copyOf(queues.values()), classes);
  }

  @Override
  public void record(SchedulingResult result) {
    List<ObjectNode> stored = live(Queue.PLURAL);
    Map<String, QueueModel> valid = new LinkedHashMap<>();
    for (ObjectNode node : stored) {
      try {
        QueueModel q = QueueModel.from(Manifests.json().convertValue(node, Queue.class));
        valid.putIfAbsent(q.name(), q);
      } catch (RuntimeException e) {
        // refused at apply; one stored before its rules changed was reported by read()
      }
    }
    List<QueueModel> all = List.copyOf(valid.values());
    Instant now = Instant.now();
    for (ObjectNode node : stored) {
      JsonNode meta = node.path("metadata");
      String name = meta.path("name").asText();
      SchedulingResult.QueueUsage usage = result.queues().get(name);
      QueueModel model = valid.get(name);
      if (usage == null || model == null) {
        continue;
      }
      long generation = meta.path("generation").asLong(1);
      QueueStatus status = usage.toStatus(generation);
      List<Condition> current = node.path("status").has("conditions")
          ? Manifests.json().convertValue(node.path("status"), QueueStatus.class).getConditions() : List.of();
      status.setConditions(QueueConditions.valid(current, model, all, now, generation));
      JsonNode next = Manifests.json().valueToTree(status);
      if (!next.equals(node.path("status"))) {
        store.updateStatus(Queue.PLURAL, meta.path("namespace").asText(), name, next);
      }
    }
  }

  /** Stored objects of a kind; one marked for deletion is removed (nothing else holds it). */
  private List<ObjectNode> live(String plural) {
    List<ObjectNode> out = new ArrayList<>();
    for (ObjectNode node : store.list(plural, null)) {
      JsonNode meta = node.path("metadata");
      if (meta.has("deletionTimestamp")) {
        store.remove(plural, meta.path("namespace").asText(), meta.path("name").asText());
      } else {
        out.add(node);
      }
    }
    return out;
  }

  private static void skip(String kind, ObjectNode node, RuntimeException e) {
    JsonNode meta = node.path("metadata");
    System.err.println(Instant.now() + " " + kind + " " + meta.path("name").asText() + " is skipped: " + e.getMessage());
  }
}
