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
 * {@link PreemptionCost}). A job runs on the nodes the cycle that admitted it counted it on
 * ({@link SchedulingResult#placements}), and every later cycle is told so, so what a preemption frees
 * is where its victims ran. The scheduler ticks every {@code period} seconds, as a control loop does:
 * what happens between two ticks is seen at the next one; after a preemption the cycle runs again at
 * once, so the preemptor takes the room. A job that ends between ticks finishes at its own time but
 * holds its GPUs until the tick. Deterministic: the same jobs give the same run.
 *
 * <p>{@link Stepping#EVENTS} (the default) runs a cycle only at a tick where something happened that
 * could change a decision while jobs wait: a job arrives that fits the free GPUs or could preempt;
 * a job completes and a waiting one fits the free GPUs or could preempt; a waiting job starves back
 * to the top level; a running job's priority drops, or its minimum runtime ends, below the highest
 * priority waiting. Service levels are crossed as events worked out in advance, not polled. At any
 * other tick a cycle would decide nothing new, so skipping it changes no job's times;
 * {@link Stepping#EVERY_TICK} runs the cycle at every tick, as a control loop would, to check that.
 */
public final class QueueingReplay {
  /** When a cycle runs: at the ticks where it could decide something new, or at every tick. */
  enum Stepping { EVENTS, EVERY_TICK }

  private static final int MAX_CYCLES_AT_ONE_INSTANT = 64;

  private record Running(SimulatedJob job, AdmittedWorkload admitted, double workFrom, double protectedUntil) {}

  /** What happened at a tick, for deciding whether a cycle could change anything. */
  private static final class Step {
    int completed;
    int arrived;
    int arrivedFewestGpus = Integer.MAX_VALUE;
    int arrivedHighestPriority = Integer.MIN_VALUE;
    int promoted;
    boolean preemptionDue;
  }

  private final QueueingPolicy policy;
  private final PreemptionCost cost;
  private final Capacity capacity;
  private final QueueModel queue;
  private final Optional<AttainedServiceLevels> levels;
  private final long period;
  private final double horizon;
  private final Stepping stepping;
  private final List<SimulatedJob> jobs;
  private final PendingJobs pending;
  private final Map<String, Running> running = new LinkedHashMap<>();
  private double clock;
  private int nextArrival;
  private int finished;
  private long freeGpus;
  private final long totalGpus;
  /** The tick by which a running job's priority drops, or its minimum runtime ends, below the highest waiting. */
  private double preemptionTick = Double.POSITIVE_INFINITY;
  /**
   * Whether the last cycles stopped at {@link #MAX_CYCLES_AT_ONE_INSTANT} still preempting: the next
   * tick's cycle may preempt again with nothing changed. (A preemptor's room is not held for it: a
   * job admitted later in the same cycle may take the free part of it, and the preemptor then takes
   * more victims at the next cycle.)
   */
  private boolean unsettled;
  private long cycles;
  private int preemptions;
  private double allocatedGpuSeconds;

  /**
   * {@code jobs} in arrival order, each no larger than the cluster; the replay stops at
   * {@code horizon} (seconds, on the trace's clock) with the jobs not finished by then unfinished.
   */
  QueueingReplay(QueueingPolicy policy, PreemptionCost cost, List<SimulatedJob> jobs, int nodes, int gpusPerNode, long period,
      double horizon, Stepping stepping) {
    this.policy = policy;
    this.period = period;
    this.horizon = horizon;
    this.stepping = stepping;
    this.cost = cost;
    this.queue = policy.queue(cost);
    this.levels = policy.levels();
    this.pending = new PendingJobs(levels);
    this.jobs = jobs;
    List<Capacity.Node> list = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      list.add(new Capacity.Node(String.format("node-%04d", i), ResourceList.of(ResourceUnits.GPU, gpusPerNode)));
    }
    this.capacity = new Capacity(list, Set.of(ResourceUnits.GPU));
    this.totalGpus = (long) nodes * gpusPerNode;
    this.freeGpus = totalGpus;
  }

  /**
   * Replays every job to completion, or to the horizon; {@code progress} hears each completion, and
   * at the horizon the jobs left unfinished, so it counts every job once.
   */
  QueueingRun run(long seed, IntConsumer progress) {
    if (!jobs.isEmpty()) {
      clock = jobs.getFirst().trace.arrival();
      Step step = new Step();
      arrive(step);
      scheduleIfWorthIt(step);
    }
    while (finished < jobs.size()) {
      double next = stepping == Stepping.EVERY_TICK ? nextTick(clock + 1) : nextTick(nextEvent());
      if (next > horizon) {
        advanceTo(Math.max(clock, horizon));
        progress.accept(jobs.size() - finished);
        break;
      }
      advanceTo(next);
      Step step = new Step();
      step.preemptionDue = clock >= preemptionTick;
      step.completed = complete();
      progress.accept(step.completed);
      arrive(step);
      step.promoted = pending.promoteStarved(clock, policy);
      scheduleIfWorthIt(step);
    }
    return QueueingRun.of(policy.policyName(), seed, jobs, cycles, preemptions, allocatedGpuSeconds, capacity.total().get(ResourceUnits.GPU),
        clock);
  }

  /** The first tick of the scheduler's period at or after {@code t}, and after now. */
  private double nextTick(double t) {
    return Math.ceil(Math.max(t, clock + 1) / period) * period;
  }

  /**
   * The next second at which something happens that a cycle may act on: an arrival, a completion, and
   * while jobs wait, a starvation, or a running job's priority dropping (or minimum runtime ending)
   * below the highest priority waiting; the next tick if the cycles at this one did not settle. Sets
   * {@link #preemptionTick}.
   */
  private double nextEvent() {
    double next = nextArrival < jobs.size() ? jobs.get(nextArrival).trace.arrival() : Double.POSITIVE_INFINITY;
    for (Running r : running.values()) {
      next = Math.min(next, Math.max(clock, r.workFrom()) + r.job().remaining);
    }
    double preemptible = Double.POSITIVE_INFINITY;
    if (!pending.isEmpty()) {
      next = Math.min(next, Math.ceil(pending.nextStarvation()));
      if (policy.preempts()) {
        for (Running r : running.values()) {
          preemptible = Math.min(preemptible, preemptibleFrom(r, pending.highestPriority()));
        }
      }
    }
    preemptionTick = Double.isInfinite(preemptible) ? preemptible : nextTick(preemptible);
    next = Math.min(next, unsettled ? clock + 1 : preemptible);
    if (Double.isInfinite(next)) {
      throw new IllegalStateException("jobs wait with nothing running and nothing to come: "
          + pending.keys().stream().limit(5).toList());
    }
    return next;
  }

  /**
   * The second after now at which a job waiting at {@code waiting} priority becomes able to preempt
   * the running job: its minimum runtime over and its priority below that (its service grown into a
   * level low enough); infinity if never, or if it already can (the cycle that made it so saw that).
   */
  private double preemptibleFrom(Running r, int waiting) {
    SimulatedJob j = r.job();
    AttainedServiceLevels l = levels.orElseThrow();
    double at = Math.max(clock, r.protectedUntil());
    double serviceThen = j.service + (at - clock) * j.trace.gpus();
    int low = l.levels() - waiting;
    if (low <= l.level(serviceThen)) {
      return at > clock ? at : Double.POSITIVE_INFINITY;
    }
    if (low > l.thresholds().size()) {
      return Double.POSITIVE_INFINITY;
    }
    return at + Math.ceil((l.thresholds().get(low - 1) - serviceThen) / j.trace.gpus());
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
    clock = t;
  }

  private int complete() {
    int done = 0;
    var it = running.values().iterator();
    while (it.hasNext()) {
      SimulatedJob j = it.next().job();
      if (j.remaining <= 0) {
        j.finish = clock + j.remaining;
        freeGpus += j.trace.gpus();
        it.remove();
        done++;
      }
    }
    finished += done;
    return done;
  }

  private void arrive(Step step) {
    while (nextArrival < jobs.size() && jobs.get(nextArrival).trace.arrival() <= clock) {
      SimulatedJob j = jobs.get(nextArrival++);
      j.priority(policy.priority(j));
      pending.add(j, clock);
      step.arrived++;
      step.arrivedFewestGpus = Math.min(step.arrivedFewestGpus, j.trace.gpus());
      step.arrivedHighestPriority = Math.max(step.arrivedHighestPriority, j.priority().orElse(0));
    }
  }

  private void scheduleIfWorthIt(Step step) {
    if (stepping == Stepping.EVERY_TICK || worthACycle(step)) {
      schedule();
    }
  }

  /**
   * Whether a cycle now could decide anything the last one did not: only a waiting job can be
   * admitted or preempt, and only if it could fit the free GPUs or preempt, and something changed.
   */
  private boolean worthACycle(Step step) {
    if (pending.isEmpty()) {
      return false;
    }
    if (unsettled || step.promoted > 0 || step.preemptionDue) {
      return true;
    }
    if (step.completed > 0 && (pending.fewestGpus() <= freeGpus || canPreemptFor(pending.highestPriority()))) {
      return true;
    }
    return step.arrived > 0 && (step.arrivedFewestGpus <= freeGpus || canPreemptFor(step.arrivedHighestPriority));
  }

  /** The priorities of the running jobs past their minimum runtime (a waiting job above one may preempt it), ascending. */
  private int[] preemptiblePriorities() {
    return running.values().stream().filter(r -> r.protectedUntil() <= clock)
        .mapToInt(r -> policy.priority(r.job()).orElse(0)).sorted().toArray();
  }

  /** Whether some running job could be preempted by a waiting job of this priority now. */
  private boolean canPreemptFor(int priority) {
    if (!policy.preempts()) {
      return false;
    }
    for (Running r : running.values()) {
      if (r.protectedUntil() <= clock && policy.priority(r.job()).orElse(0) < priority) {
        return true;
      }
    }
    return false;
  }

  /** Cycles at this instant until one preempts nothing, or {@link #MAX_CYCLES_AT_ONE_INSTANT} have run. */
  private void schedule() {
    unsettled = true;
    for (int round = 0; round < MAX_CYCLES_AT_ONE_INSTANT; round++) {
      running.values().forEach(r -> r.job().priority(policy.priority(r.job())));
      SchedulingResult result = SchedulingCycle.run(snapshot(), SchedulerPolicy.CLUSTER);
      cycles++;
      long held = totalGpus - freeGpus;
      for (SchedulingResult.Preempted p : result.preemptions()) {
        stop(running.remove(p.victim()));
      }
      for (Map.Entry<String, AdmissionDecision> d : result.decisions().entrySet()) {
        if (d.getValue() instanceof AdmissionDecision.Admitted && pending.contains(d.getKey())) {
          SimulatedJob j = pending.remove(d.getKey(), clock);
          held += j.trace.gpus();
          start(j, result.placements().getOrDefault(j.key(), List.of()));
        }
      }
      checkCapacity(held, result);
      if (result.preemptions().isEmpty()) {
        unsettled = false;
        return;
      }
    }
  }

  /**
   * The invariant every cycle keeps: what it admitted, with every job that ran before it (its
   * victims hold their GPUs until they have stopped), fits the cluster.
   */
  private void checkCapacity(long held, SchedulingResult result) {
    if (held > totalGpus) {
      throw new IllegalStateException("the cycle at t=" + (long) clock + " admitted " + held + " GPUs of " + totalGpus
          + " counting the " + result.preemptions().size() + " jobs it preempted");
    }
  }

  /**
   * The cycle's view: every admitted job and the waiting ones; at {@link Stepping#EVENTS} only those
   * that could fit the free GPUs ({@link PendingJobs#fitting}) or, where jobs preempt, take a victim
   * ({@link PendingJobs#actionable}).
   */
  private SchedulingSnapshot snapshot() {
    List<AdmittedWorkload> admitted = running.values().stream().map(Running::admitted).toList();
    List<QueueableWorkload> waiting = stepping == Stepping.EVERY_TICK ? pending.all()
        : policy.preempts() ? pending.actionable(freeGpus, preemptiblePriorities()) : pending.fitting(freeGpus);
    return new SchedulingSnapshot(instant(clock), List.of(queue), Map.of(), Map.of(), admitted, waiting, capacity);
  }

  private void start(SimulatedJob j, List<String> nodes) {
    if (Double.isNaN(j.firstStart)) {
      j.firstStart = clock;
    }
    double workFrom = j.restarts ? clock + cost.restart() : clock;
    j.restarts = false;
    j.progressThisRun = 0;
    freeGpus -= j.trace.gpus();
    Instant admittedAt = instant(clock);
    running.put(j.key(), new Running(j, new AdmittedWorkload(j, queue.name(), admittedAt).on(nodes), workFrom,
        admittedAt.plus(queue.minimumRuntime()).getEpochSecond()));
  }

  private void stop(Running r) {
    SimulatedJob j = r.job();
    j.remaining += cost.lostWork(j.progressThisRun);
    j.restarts = true;
    j.preemptions++;
    preemptions++;
    freeGpus += j.trace.gpus();
    pending.add(j, clock);
  }

  private static Instant instant(double seconds) {
    return Instant.ofEpochSecond((long) seconds);
  }
}
