package dev.capstan.core.queue;

import dev.capstan.api.queue.QueueModel;
import dev.capstan.api.queue.ResourceUnits;
import dev.capstan.core.ports.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The scheduler's queues in Prometheus text form, kept from each cycle it records through this
 * store (the local control plane's {@code GET /metrics} and the operator's serve it): pending and admitted workloads, usage, borrowed amounts and nominal quota per resource
 * (CPU in cores, other resources in their own units), the time from queued to admitted as a
 * histogram, and preemptions by queue and reason. Label values are queue names, resource names and
 * reasons, which validation limits to characters that need no escaping.
 */
public final class QueueMetrics implements QueueStore {
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  private static final double[] WAIT_BOUNDS = {1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 14400};

  private final QueueStore store;
  private final Clock clock;
  private Setup setup = Setup.NONE;
  private Map<String, SchedulingResult.QueueUsage> queues = Map.of();
  /** When each workload now waiting started to wait in this server's view. */
  private final Map<String, Instant> waitingSince = new HashMap<>();
  private Set<String> admitted = Set.of();
  private Set<String> preempted = Set.of();
  /** Whether a cycle was seen: the first one after a start finds jobs admitted before it, with no wait to count. */
  private boolean seen;
  private final Map<String, long[]> waitBuckets = new TreeMap<>();
  private final Map<String, Double> waitSums = new HashMap<>();
  private final Map<String, Long> preemptions = new TreeMap<>();

  public QueueMetrics(QueueStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  @Override
  public synchronized Setup read() {
    setup = store.read();
    return setup;
  }

  @Override
  public void record(SchedulingResult result) {
    store.record(result);
    observe(result, clock.now());
  }

  private synchronized void observe(SchedulingResult result, Instant now) {
    queues = Map.copyOf(result.queues());
    Set<String> nowAdmitted = new HashSet<>();
    Set<String> nowPreempted = new HashSet<>();
    result.decisions().forEach((key, decision) -> {
      switch (decision) {
        case AdmissionDecision.Admitted a -> {
          nowAdmitted.add(key);
          if (seen && !admitted.contains(key)) {
            Instant since = waitingSince.getOrDefault(key, now);
            observeWait(a.queue(), Math.max(0, Duration.between(since, now).toMillis()) / 1000.0);
          }
        }
        case AdmissionDecision.Waiting w -> waitingSince.putIfAbsent(key, now);
        case AdmissionDecision.Preempted p -> {
          nowAdmitted.add(key);
          nowPreempted.add(key);
        }
        case AdmissionDecision.Rejected r -> { }
      }
    });
    waitingSince.keySet().removeIf(key -> !(result.decision(key) instanceof AdmissionDecision.Waiting));
    admitted = nowAdmitted;
    for (SchedulingResult.Preempted p : result.preemptions()) {
      if (preempted.contains(p.victim())) {
        continue; // counted when it started
      }
      String queue = result.decision(p.victim()) instanceof AdmissionDecision.Preempted d ? d.queue() : "";
      preemptions.merge(queue + "\u0000" + p.eviction().reason().name(), 1L, Long::sum);
    }
    preempted = nowPreempted;
    seen = true;
  }

  private void observeWait(String queue, double seconds) {
    long[] buckets = waitBuckets.computeIfAbsent(queue, q -> new long[WAIT_BOUNDS.length + 1]);
    for (int i = 0; i < WAIT_BOUNDS.length; i++) {
      if (seconds <= WAIT_BOUNDS[i]) {
        buckets[i]++;
      }
    }
    buckets[WAIT_BOUNDS.length]++;
    waitSums.merge(queue, seconds, Double::sum);
  }

  /** The metrics now, in the Prometheus text exposition format (0.0.4). */
  public synchronized String exposition() {
    StringBuilder out = new StringBuilder();
    Map<String, SchedulingResult.QueueUsage> byName = new TreeMap<>(queues);
    gauge(out, "capstan_queue_pending_workloads", "Workloads waiting in a queue.");
    byName.values().forEach(u -> sample(out, "capstan_queue_pending_workloads", "queue=\"" + u.queue() + "\"", u.pending()));
    gauge(out, "capstan_queue_admitted_workloads", "Workloads holding quota in a queue (admitted, or stopping after a preemption).");
    byName.values().forEach(u -> sample(out, "capstan_queue_admitted_workloads", "queue=\"" + u.queue() + "\"", u.admitted()));
    gauge(out, "capstan_queue_resource_usage", "What a queue's admitted workloads request (cpu in cores, others in their units).");
    byName.values().forEach(u -> amounts(out, "capstan_queue_resource_usage", u.queue(), u.usage()));
    gauge(out, "capstan_queue_resource_borrowed", "The part of a queue's usage above its nominal quota, borrowed in its cohort.");
    byName.values().forEach(u -> amounts(out, "capstan_queue_resource_borrowed", u.queue(), u.borrowed()));
    gauge(out, "capstan_queue_resource_nominal_quota", "A queue's nominal quota of each resource it limits.");
    for (QueueModel q : setup.queues().stream().sorted((a, b) -> a.name().compareTo(b.name())).toList()) {
      new TreeMap<>(q.quotas()).forEach((resource, quota) -> sample(out, "capstan_queue_resource_nominal_quota",
          labels(q.name(), resource), inUnits(resource, quota.nominal())));
    }
    header(out, "capstan_queue_admission_wait_seconds", "histogram", "Time from queued to admitted, per admission.");
    waitBuckets.forEach((queue, buckets) -> histogram(out, queue, buckets, waitSums.get(queue)));
    header(out, "capstan_queue_preemptions_total", "counter", "Admitted workloads preempted, by their queue and the reason.");
    preemptions.forEach((key, count) -> {
      String[] parts = key.split("\u0000", 2);
      sample(out, "capstan_queue_preemptions_total", "queue=\"" + parts[0] + "\",reason=\"" + parts[1] + "\"", count);
    });
    return out.toString();
  }

  private static void histogram(StringBuilder out, String queue, long[] buckets, double sum) {
    String name = "capstan_queue_admission_wait_seconds";
    for (int i = 0; i < WAIT_BOUNDS.length; i++) {
      sample(out, name + "_bucket", "queue=\"" + queue + "\",le=\"" + number(WAIT_BOUNDS[i]) + "\"", buckets[i]);
    }
    sample(out, name + "_bucket", "queue=\"" + queue + "\",le=\"+Inf\"", buckets[WAIT_BOUNDS.length]);
    sample(out, name + "_sum", "queue=\"" + queue + "\"", sum);
    sample(out, name + "_count", "queue=\"" + queue + "\"", buckets[WAIT_BOUNDS.length]);
  }

  private void amounts(StringBuilder out, String name, String queue, ResourceList amounts) {
    for (String resource : amounts.names()) {
      sample(out, name, labels(queue, resource), inUnits(resource, amounts.get(resource)));
    }
  }

  private static String labels(String queue, String resource) {
    return "queue=\"" + queue + "\",resource=\"" + resource + "\"";
  }

  private static double inUnits(String resource, long amount) {
    return ResourceUnits.CPU.equals(resource) ? amount / 1000.0 : amount;
  }

  private static void gauge(StringBuilder out, String name, String help) {
    header(out, name, "gauge", help);
  }

  private static void header(StringBuilder out, String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  private static void sample(StringBuilder out, String name, String labels, double value) {
    out.append(name).append('{').append(labels).append("} ").append(number(value)).append('\n');
  }

  private static String number(double value) {
    return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
  }
}
