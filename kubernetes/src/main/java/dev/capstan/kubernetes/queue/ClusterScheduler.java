package dev.capstan.kubernetes.queue;

import dev.capstan.api.training.TrainingJob;
import dev.capstan.api.training.TrainingJobStatus;
import dev.capstan.core.ports.Clock;
import dev.capstan.core.queue.AdmissionDecision;
import dev.capstan.core.queue.QueueMetrics;
import dev.capstan.core.queue.SchedulerPolicy;
import dev.capstan.core.queue.SchedulingResult;
import dev.capstan.core.training.AdmissionRecord;
import dev.capstan.core.training.TrainingAdmission;
import dev.capstan.kubernetes.cluster.OperatorJobs;
import dev.capstan.kubernetes.placement.GpuPlacement;
import dev.capstan.kubernetes.placement.PlacementSettings;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's one scheduling cycle, run by the leader only, every {@code period}: core's
 * {@code SchedulingCycle} over every job the operator runs (TrainingJobs and Kubeflow's kinds),
 * the Queues and WorkloadPriorityClasses, and the capacity of the nodes, all read from informer
 * caches. Each job's decision is written on its status ({@link AdmissionRecord}: the
 * {@code Admitted} condition, the Queued reason and position, the Preempted condition naming who
 * preempted it), and only when it changed; the status change wakes the job's reconciler, which
 * creates pods only once {@code Admitted} is true, and deletes a preempted job's pods with its
 * {@code preemptionGracePeriodSeconds}. A GPU job admitted gets a node for each replica from
 * Capstan's placement, recorded in the same write ({@link GpuPlacement}). Each Queue's status is
 * written after the cycle, and the queue metrics are kept from it (served on {@code GET /metrics}
 * when a port is set).
 *
 * <p>It is an event source of the TrainingJob controller so that the operator starts and stops it
 * with its controllers; it sends no events itself.
 */
public final class ClusterScheduler extends SimpleInboundEventSource<TrainingJob> {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterScheduler.class);
  /** How often the leader decides. Reads come from caches, so a cycle costs no API call unless it writes. */
  public static final Duration PERIOD = Duration.ofSeconds(1);

  private final OperatorJobs jobs;
  private final InformedCapacity capacity;
  private final ClusterQueues queues;
  private final QueueMetrics metrics;
  private final Clock clock;
  private final BooleanSupplier leading;
  private final Duration period;
  private final java.util.OptionalInt metricsPort;
  private final GpuPlacement placement;
  private ScheduledExecutorService executor;
  private MetricsEndpoint endpoint;

  /** {@code metricsPort}: where {@code GET /metrics} is served while the cycle runs (none when empty). */
  public ClusterScheduler(KubernetesClient client, OperatorJobs jobs, Clock clock, BooleanSupplier leading, Duration period,
      java.util.OptionalInt metricsPort) {
    this(client, jobs, clock, leading, period, metricsPort, PlacementSettings.defaults());
  }

  /** {@code placement}: whether GPU jobs' replicas are pinned to the nodes Capstan's placement chooses ({@link GpuPlacement}). */
  public ClusterScheduler(KubernetesClient client, OperatorJobs jobs, Clock clock, BooleanSupplier leading, Duration period,
      java.util.OptionalInt metricsPort, PlacementSettings placement) {
    super("scheduling-cycle");
    this.placement = new GpuPlacement(placement);
    this.jobs = jobs;
    this.capacity = new InformedCapacity(client);
    this.queues = new ClusterQueues(client);
    this.metrics = new QueueMetrics(queues, clock);
    this.clock = clock;
    this.leading = leading;
    this.period = period;
    this.metricsPort = metricsPort;
  }

  /** The queue metrics of the latest cycle, in Prometheus text form. */
  public QueueMetrics metrics() {
    return metrics;
  }

  @Override
  public synchronized void start() {
    super.start();
    if (executor == null) {
      executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "capstan-scheduling-cycle");
        t.setDaemon(true);
        return t;
      });
      executor.scheduleWithFixedDelay(this::tick, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }
    if (endpoint == null && metricsPort.isPresent()) {
      endpoint = MetricsEndpoint.start(metricsPort.getAsInt(), metrics);
    }
  }

  @Override
  public synchronized void stop() {
    if (executor != null) {
      executor.shutdownNow();
      executor = null;
    }
    if (endpoint != null) {
      endpoint.close();
      endpoint = null;
    }
    capacity.close();
    queues.close();
    super.stop();
  }

  private void tick() {
    try {
      if (leading.getAsBoolean()) {
        cycle();
      }
    } catch (RuntimeException e) {
      LOG.warn("scheduling cycle failed (tried again in {} ms): {}", period.toMillis(), e.toString());
    }
  }

  /** One cycle: decide on what the caches hold, then write what changed. */
  SchedulingResult cycle() {
    capacity.open();
    queues.open();
    List<TrainingJob> all = jobs.all();
    Instant now = clock.now();
    SchedulingResult result = TrainingAdmission.schedule(all, metrics.read(), capacity.capacity(), now, SchedulerPolicy.CLUSTER);
    Map<String, Map<String, String>> placements = placement.decide(all, result, capacity.nodes(), capacity.pods(), now);
    for (TrainingJob job : all) {
      AdmissionDecision decision = result.decision(TrainingAdmission.key(job));
      Optional<TrainingJobStatus> next = decision == null ? Optional.empty()
          : AdmissionRecord.recorded(job, decision, Optional.ofNullable(placements.get(TrainingAdmission.key(job))), now);
      next.ifPresent(status -> write(job, decision, status));
    }
    metrics.record(result);
    return result;
  }

  private void write(TrainingJob job, AdmissionDecision decision, TrainingJobStatus status) {
    String name = job.getKind() + " " + job.getMetadata().getNamespace() + "/" + job.getMetadata().getName();
    try {
      jobs.write(job, status);
      boolean placed = decision instanceof AdmissionDecision.Admitted && status.getPlacement() != null;
      LOG.info("{}: {}{}", name, describe(decision), placed ? ", replicas on nodes " + status.getPlacement() : "");
    } catch (KubernetesClientException e) {
      // A conflict (its reconciler wrote first) or an outage: the next cycle decides on what is there then.
      LOG.debug("{}: admission not written this cycle: {}", name, e.getMessage());
    }
  }

  private static String describe(AdmissionDecision decision) {
    return switch (decision) {
      case AdmissionDecision.Admitted a -> "admitted to Queue " + a.queue();
      case AdmissionDecision.Waiting w -> "waits" + (w.queue().isEmpty() ? "" : " in Queue " + w.queue()) + ": " + w.reason();
      case AdmissionDecision.Preempted p -> p.eviction().message();
      case AdmissionDecision.Rejected r -> "rejected: " + r.reason();
    };
  }
}
