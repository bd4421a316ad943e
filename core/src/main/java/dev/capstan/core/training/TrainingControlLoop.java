package dev.capstan.core.training;

import dev.capstan.api.training.TrainingJob;
import dev.capstan.core.ports.Clock;
import dev.capstan.core.queue.AdmissionDecision;
import dev.capstan.core.queue.Capacity;
import dev.capstan.core.queue.CapacitySource;
import dev.capstan.core.queue.QueueStore;
import dev.capstan.core.queue.ResourceList;
import dev.capstan.core.queue.SchedulerPolicy;
import dev.capstan.core.queue.SchedulingResult;
import dev.capstan.core.queue.ResourceAmounts;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * One pass over every TrainingJob: a scheduling cycle on a snapshot (queues, priority classes, the
 * host's capacity), then a reconcile of each with the cycle's decision for it.
 * A job whose reconcile throws is isolated: it gets a {@code Stalled} condition (reason
 * {@code ReconcileError}) and a Warning event naming it, and is left alone for its backoff while
 * the other jobs go on. Errors no pass can recover from (other than running out of memory or
 * stack on that job) propagate to whoever runs the loop.
 */
public final class TrainingControlLoop {
  private final TrainingJobStore store;
  private final TrainingJobController controller;
  private final CapacitySource capacity;
  private final QueueStore queues;
  private final Clock clock;
  private final ReconcileBackoff backoff = new ReconcileBackoff();

  /** A loop on the system clock. */
  public TrainingControlLoop(TrainingJobStore store, TrainingJobController controller, Supplier<ResourceAmounts> capacity) {
    this(store, controller, capacity, Clock.system());
  }

  public TrainingControlLoop(TrainingJobStore store, TrainingJobController controller, Supplier<ResourceAmounts> capacity,
      Clock clock) {
    this(store, controller, capacity, QueueStore.NONE, clock);
  }

  /** A loop whose cycle decides with the Queues and priority classes of {@code queues}, and records their status there. */
  public TrainingControlLoop(TrainingJobStore store, TrainingJobController controller, Supplier<ResourceAmounts> capacity,
      QueueStore queues, Clock clock) {
    this(store, controller, (CapacitySource) () -> Capacity.host(ResourceList.from(capacity.get())), queues, clock);
  }

  /** A loop whose cycle reads capacity from {@code capacity} each pass (with what others hold reserved). */
  public TrainingControlLoop(TrainingJobStore store, TrainingJobController controller, CapacitySource capacity,
      QueueStore queues, Clock clock) {
    this.store = store;
    this.controller = controller;
    this.capacity = capacity;
    this.queues = queues;
    this.clock = clock;
  }

  /** Returns the soonest time any job asked to be looked at again. */
  public Optional<Duration> pass() {
    List<TrainingJob> jobs = store.list();
    Instant now = clock.now();
    backoff.retainOnly(jobs.stream().map(TrainingAdmission::key).collect(Collectors.toSet()));
    SchedulingResult cycle = TrainingAdmission.schedule(jobs, queues.read(), capacity.capacity(), now,
        SchedulerPolicy.LOCAL);
    queues.record(cycle);
    Map<String, AdmissionDecision> admission = cycle.decisions();
    Optional<Duration> soonest = backoff.untilNextRetry(now);
    for (TrainingJob job : jobs) {
      String key = TrainingAdmission.key(job);
      if (backoff.waiting(key, revision(job), now)) {
        continue;
      }
      Optional<Duration> next = reconcileIsolated(job, admission.getOrDefault(key, AdmissionDecision.admitted()), now);
      if (next.isPresent() && (soonest.isEmpty() || next.get().compareTo(soonest.get()) < 0)) {
        soonest = next;
      }
    }
    return soonest;
  }

  private Optional<Duration> reconcileIsolated(TrainingJob job, AdmissionDecision decision, Instant now) {
    String key = TrainingAdmission.key(job);
    try {
      Optional<Duration> next = controller.reconcile(job, decision);
      backoff.succeeded(key);
      return next;
    } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
      int failures = backoff.failed(key, revision(job), now);
      Duration retryIn = ReconcileBackoff.delay(failures);
      try {
        controller.recordReconcileError(job, e, failures, retryIn);
      } catch (RuntimeException recordFailed) {
        e.addSuppressed(recordFailed);
      }
      return Optional.of(retryIn);
    }
  }

  /** What a failure is remembered against: a new generation or a deletion is tried at once. */
  private static String revision(TrainingJob job) {
    return job.getMetadata().getGeneration() + (job.getMetadata().getDeletionTimestamp() == null ? "" : "/deleting");
  }
}
