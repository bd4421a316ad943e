package dev.capstan.kubernetes.queue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.api.codec.Manifests;
import dev.capstan.api.queue.Priorities;
import dev.capstan.api.queue.Queue;
import dev.capstan.api.queue.QueueModel;
import dev.capstan.api.queue.QueueStatus;
import dev.capstan.api.queue.WorkloadPriorityClass;
import dev.capstan.core.queue.QueueConditions;
import dev.capstan.core.queue.QueueStore;
import dev.capstan.core.queue.SchedulingResult;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Queues and WorkloadPriorityClasses (both cluster-scoped) as the scheduling cycle reads them, and
 * the labels of namespaces (for queues that select namespaces by label), from informer caches.
 * After a cycle each Queue's status (pending and admitted counts, usage and borrowed amounts, the
 * Active condition) is replaced through the status subresource when it changed. A Queue or class
 * that does not validate is left out, with the reason logged once per version and, for a Queue,
 * written as Active False; a job naming it then waits with {@code QueueNotFound} or
 * {@code PriorityClassNotFound}.
 */
public final class ClusterQueues implements QueueStore, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterQueues.class);

  private final KubernetesClient client;
  private final Set<String> reported = ConcurrentHashMap.newKeySet();
  private volatile SharedIndexInformer<Queue> queues;
  private volatile SharedIndexInformer<WorkloadPriorityClass> classes;
  private volatile SharedIndexInformer<Namespace> namespaces;

  public ClusterQueues(KubernetesClient client) {
    this.client = client;
  }

  /** Starts the informers and waits for their first list. */
  public synchronized void open() {
    if (queues == null) {
      queues = client.resources(Queue.class).inform();
      classes = client.resources(WorkloadPriorityClass.class).inform();
      namespaces = client.namespaces().inform();
    }
  }

  /** What the caches hold now; no Queue at all before {@link #open}. */
  @Override
  public Setup read() {
    if (queues == null || classes == null || namespaces == null) {
      return Setup.NONE;
    }
    Map<String, QueueModel> models = new LinkedHashMap<>();
    for (Queue q : sorted(queues.getStore().list())) {
      try {
        models.put(q.getMetadata().getName(), QueueModel.from(q));
      } catch (RuntimeException e) {
        skip(Queue.KIND, q.getMetadata(), e);
      }
    }
    Map<String, Integer> values = new HashMap<>();
    for (WorkloadPriorityClass pc : sorted(classes.getStore().list())) {
      try {
        values.put(pc.getMetadata().getName(), Priorities.value(pc));
      } catch (RuntimeException e) {
        skip(WorkloadPriorityClass.KIND, pc.getMetadata(), e);
      }
    }
    Map<String, Map<String, String>> labels = new HashMap<>();
    for (Namespace ns : namespaces.getStore().list()) {
      Map<String, String> nsLabels = ns.getMetadata().getLabels();
      labels.put(ns.getMetadata().getName(), nsLabels == null ? Map.of() : nsLabels);
    }
    return new Setup(List.copyOf(models.values()), values, labels);
  }

  @Override
  public void record(SchedulingResult result) {
    if (queues == null) {
      return;
    }
    Map<String, QueueModel> valid = new LinkedHashMap<>();
    Map<String, String> problems = new HashMap<>();
    for (Queue queue : queues.getStore().list()) {
      try {
        valid.put(queue.getMetadata().getName(), QueueModel.from(queue));
      } catch (RuntimeException e) {
        problems.put(queue.getMetadata().getName(), e.getMessage());
      }
    }
    List<QueueModel> all = List.copyOf(valid.values());
    Instant now = Instant.now();
    for (Queue queue : queues.getStore().list()) {
      String name = queue.getMetadata().getName();
      long generation = queue.getMetadata().getGeneration() == null ? 1 : queue.getMetadata().getGeneration();
      SchedulingResult.QueueUsage usage = result.queues().get(name);
      QueueStatus status = usage != null ? usage.toStatus(generation)
          : queue.getStatus() != null ? Manifests.copy(queue.getStatus(), QueueStatus.class) : new QueueStatus();
      List<Condition> current = queue.getStatus() == null ? List.of() : queue.getStatus().getConditions();
      status.setConditions(valid.containsKey(name)
          ? QueueConditions.valid(current, valid.get(name), all, now, generation)
          : QueueConditions.invalid(current, problems.getOrDefault(name, "the spec does not validate"), now, generation));
      status.setObservedGeneration(generation);
      JsonNode next = Manifests.json().valueToTree(status);
      if (next.equals(Manifests.json().valueToTree(queue.getStatus()))) {
        continue;
      }
      Queue desired = Manifests.copy(queue, Queue.class);
      desired.setStatus(status);
      try {
        client.resources(Queue.class).resource(desired).updateStatus();
      } catch (KubernetesClientException e) {
        // A conflict or an outage: the next cycle writes what it finds then.
        LOG.debug("{} {}: status not written this cycle: {}", Queue.KIND, name, e.getMessage());
      }
    }
  }

  private void skip(String kind, io.fabric8.kubernetes.api.model.ObjectMeta meta, RuntimeException e) {
    if (reported.add(kind + "/" + meta.getName() + "@" + meta.getResourceVersion())) {
      LOG.warn("{} {}: left out of scheduling: {}", kind, meta.getName(), e.getMessage());
    }
  }

  private static <T extends io.fabric8.kubernetes.api.model.HasMetadata> List<T> sorted(List<T> items) {
    return items.stream().sorted(Comparator.comparing(i -> i.getMetadata().getName())).toList();
  }

  @Override
  public synchronized void close() {
    if (queues != null) {
      queues.close();
      classes.close();
      namespaces.close();
    }
    queues = null;
    classes = null;
    namespaces = null;
  }
}
