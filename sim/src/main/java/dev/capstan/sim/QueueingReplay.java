package dev.capstan.sim;

import dev.capstan.api.queue.QueueModel;
import dev.capstan.api.queue.ResourceUnits;
import dev.capstan.core.queue.AdmissionDecision;
import dev.capstan.core.queue.AdmittedWorkload;
import dev.capstan.core.queue.AttainedServiceLevels;
import dev.capstan.core.queue.Capacity;
import dev.capstan.core.queue.QueueableWorkload;
import dev.capstan.core.queue.ResourceList;
import dev.capstan.core.queue.SchedulerPolicy;
import dev.capstan.core.queue.SchedulingCycle;
import dev.capstan.core.queue.SchedulingResult;
import dev.capstan.core.queue.SchedulingSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * One replay of a job trace through core's scheduler ({@link SchedulingCycle}, the class the control
 * planes run) on a cluster of equal GPU nodes. The simulator keeps the virtual clock (whole
 * seconds), the snapshot (admitted jobs, pending jobs, the nodes) and the workload events: a job
 * arrives, completes, or stops when the cycle preempts it (it loses work and pays a restart, per
 * {@link PreemptionCost}). A cycle runs at every instant something happens: an arrival, a
 * completion, a job's service level changing, a job's minimum runtime ending while others wait, at the scheduler's next tick ({@code period} seconds,
 * as a control loop ticks: what happens between two ticks is seen at the second); after a
 * preemption it runs again at once, so the preemptor takes the room. A job that ends between
 * ticks finishes at its own time but holds its GPUs until the tick. Deterministic: the same jobs
 * give the same run.
 */
public final class QueueingReplay {
  private static final int MAX_CYCLES_AT_ONE_INSTANT = 64;

  private record Running(SimulatedJob job, AdmittedWorkload admitted, double workFrom) {}

  private final QueueingPolicy policy;
  private final PreemptionCost cost;
  private final Capacity capacity;
  private final QueueModel queue;
  private final Optional<AttainedServiceLevels> levels;
  private final long period;
  private final List<SimulatedJob> jobs;
  private final Map<String, SimulatedJob> pending = new LinkedHashMap<>();
  private final Map<String, Running> running = new LinkedHashMap<>();
  private double clock;
  private int nextArrival;
  private int finished;
  private long cycles;
  private int preemptions;
  private double allocatedGpuSeconds;

  /** {@code jobs} in arrival order, each no larger than the cluster. */
  QueueingReplay(QueueingPolicy policy, PreemptionCost cost, List<SimulatedJob> jobs, int nodes, int gpusPerNode, long period) {
    this.policy = policy;
    this.period = period;
    this.cost = cost;
    this.queue = policy.queue(cost);
    this.levels = policy.levels();
    this.jobs = jobs;
    List<Capacity.Node> list = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      list.add(new Capacity.Node(String.format("node-%04d", i), ResourceList.of(ResourceUnits.GPU, gpusPerNode)));
    }
    this.capacity = new Capacity(list, Set.of(ResourceUnits.GPU));
  }

  /** Replays every job to completion; {@code progress} hears each completion. */
  QueueingRun run(long seed, IntConsumer progress) {
    if (!jobs.isEmpty()) {
      clock = jobs.getFirst().trace.arrival();
      arrive();
      schedule();
    }
    while (finished < jobs.size()) {
      advanceTo(nextTick(nextEvent()));
      progress.accept(complete());
      arrive();
      promoteStarved();
      schedule();
    }
    return QueueingRun.of(policy.policyName(), seed, jobs, cycles, preemptions, allocatedGpuSeconds, capacity.total().get(ResourceUnits.GPU));
  }

  /** The first tick of the scheduler's period at or after {@code t}. */
  private double nextTick(double t) {
    return Math.max(clock + 1, Math.ceil(t / period) * period);
  }

  /** The next whole second at which something happens. */
  private double nextEvent() {
    double next = nextArrival < jobs.size() ? jobs.get(nextArrival).trace.arrival() : Double.POSITIVE_INFINITY;
    for (Running r : running.values()) {
      SimulatedJob j = r.job();
      next = Math.min(next, Math.max(clock, r.workFrom()) + j.remaining);
      if (levels.isPresent()) {
        var toNext = levels.get().secondsToNextLevel(j.service, j.trace.gpus());
        if (toNext.isPresent()) {
          next = Math.min(next, clock + Math.max(1, Math.ceil(toNext.getAsDouble())));
        }
      }
    }
    if (!pending.isEmpty() && !queue.minimumRuntime().isZero()) {
      for (Running r : running.values()) {
        double protectedUntil = r.admitted().admittedAt().plus(queue.minimumRuntime()).getEpochSecond();
        if (protectedUntil > clock) {
          next = Math.min(next, protectedUntil);
        }
      }
    }
    if (levels.isPresent()) {
      for (SimulatedJob j : pending.values()) {
        var toStarved = levels.get().secondsToStarvation(j.service, j.ranSinceTop, j.waitedSinceTop);
        if (toStarved.isPresent()) {
          next = Math.min(next, clock + Math.max(1, Math.ceil(toStarved.getAsDouble())));
        }
      }
    }
    if (Double.isInfinite(next)) {
      throw new IllegalStateException("jobs wait with nothing running and nothing to come: " + pending.keySet().stream().limit(5).toList());
    }
    return next;
  }

  private void advanceTo(double t) {
    double dt = t - clock;
    for (Running r : running.values()) {
      SimulatedJob j = r.job();
      double progress = Math.max(0, t - Math.max(clock, r.workFrom()));
      j.remaining -= progress;
      j.progressThisRun += progress;
      j.service += dt * j.trace.gpus();
      j.ranSinceTop += dt;
      j.admittedSeconds += dt;
      allocatedGpuSeconds += dt * j.trace.gpus();
    }
    for (SimulatedJob j : pending.values()) {
      if (j.ranSinceTop > 0) {
        j.waitedSinceTop += dt;
      }
    }
    clock = t;
  }

  private int complete() {
    int done = 0;
    var it = running.values().iterator();
    while (it.hasNext()) {
      SimulatedJob j = it.next().job();
      if (j.remaining <= 0) {
        j.finish = clock + j.remaining;
        it.remove();
        done++;
      }
    }
    finished += done;
    return done;
  }

  private void arrive() {
    while (nextArrival < jobs.size() && jobs.get(nextArrival).trace.arrival() <= clock) {
      SimulatedJob j = jobs.get(nextArrival++);
      pending.put(j.key(), j);
    }
  }

  private void promoteStarved() {
    if (levels.isEmpty()) {
      return;
    }
    for (SimulatedJob j : pending.values()) {
      if (levels.get().starved(j.service, j.ranSinceTop, j.waitedSinceTop)) {
        j.service = 0;
        j.ranSinceTop = 0;
        j.waitedSinceTop = 0;
      }
    }
  }

  /** Cycles at this instant until one preempts nothing. */
  private void schedule() {
    for (int round = 0; round < MAX_CYCLES_AT_ONE_INSTANT; round++) {
      pending.values().forEach(j -> j.priority(policy.priority(j)));
      running.values().forEach(r -> r.job().priority(policy.priority(r.job())));
      SchedulingResult result = SchedulingCycle.run(snapshot(), SchedulerPolicy.CLUSTER);
      cycles++;
      for (SchedulingResult.Preempted p : result.preemptions()) {
        stop(running.remove(p.victim()));
      }
      for (Map.Entry<String, AdmissionDecision> d : result.decisions().entrySet()) {
        if (d.getValue() instanceof AdmissionDecision.Admitted && pending.containsKey(d.getKey())) {
          start(pending.remove(d.getKey()));
        }
      }
      if (result.preemptions().isEmpty()) {
        return;
      }
    }
  }

  private SchedulingSnapshot snapshot() {
    List<AdmittedWorkload> admitted = running.values().stream().map(Running::admitted).toList();
    List<QueueableWorkload> waiting = List.copyOf(pending.values());
    return new SchedulingSnapshot(instant(clock), List.of(queue), Map.of(), Map.of(), admitted, waiting, capacity);
  }

  private void start(SimulatedJob j) {
    if (Double.isNaN(j.firstStart)) {
      j.firstStart = clock;
    }
    double workFrom = j.restarts ? clock + cost.restart() : clock;
    j.restarts = false;
    j.progressThisRun = 0;
    running.put(j.key(), new Running(j, new AdmittedWorkload(j, queue.name(), instant(clock)), workFrom));
  }

  private void stop(Running r) {
    SimulatedJob j = r.job();
    j.remaining += cost.lostWork(j.progressThisRun);
    j.restarts = true;
    j.preemptions++;
    preemptions++;
    pending.put(j.key(), j);
  }

  private static Instant instant(double seconds) {
    return Instant.ofEpochSecond((long) seconds);
  }
}
