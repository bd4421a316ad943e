package dev.capstan.sim;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.IntConsumer;

/**
 * The queueing experiment: a job trace replayed ({@link QueueingReplay}) under each policy and seed
 * on {@code nodes} nodes of {@code gpusPerNode} GPUs. A seed orders the jobs that arrive in the same
 * second of the trace (its resolution); everything else is fixed, so a run is deterministic.
 * Runs go in parallel on up to {@code threads} threads.
 */
public final class QueueingExperiment {
  public static final int MAX_SEEDS = 100;
  public static final int MAX_NODES = 100_000;
  public static final int MAX_GPUS_PER_NODE = 64;
  /** The least time a replay goes on after the last arrival (see {@link #horizon}). */
  static final Duration MIN_GRACE = Duration.ofDays(30);

  private final List<TraceJob> trace;
  private final int nodes;
  private final int gpusPerNode;
  private final PreemptionCost cost;
  private final long period;

  public QueueingExperiment(List<TraceJob> trace, int nodes, int gpusPerNode, PreemptionCost cost, long period) {
    if (period < 1 || period > 3600) {
      throw new IllegalArgumentException("the scheduling period must be 1..3600 s, not " + period);
    }
    this.period = period;
    if (nodes < 1 || nodes > MAX_NODES || gpusPerNode < 1 || gpusPerNode > MAX_GPUS_PER_NODE) {
      throw new IllegalArgumentException("the cluster must have 1.." + MAX_NODES + " nodes of 1.." + MAX_GPUS_PER_NODE
          + " GPUs, not " + nodes + " of " + gpusPerNode);
    }
    long gpus = (long) nodes * gpusPerNode;
    for (TraceJob j : trace) {
      if (j.gpus() > gpus) {
        throw new IllegalArgumentException("job " + j.id() + " needs " + j.gpus() + " GPUs; the cluster has " + gpus);
      }
    }
    this.trace = List.copyOf(trace);
    this.nodes = nodes;
    this.gpusPerNode = gpusPerNode;
    this.cost = cost;
  }

  public int jobs() {
    return trace.size();
  }

  public QueueingRun run(QueueingPolicy policy, long seed, IntConsumer progress) {
    return run(policy, seed, QueueingReplay.Stepping.EVENTS, progress);
  }

  QueueingRun run(QueueingPolicy policy, long seed, QueueingReplay.Stepping stepping, IntConsumer progress) {
    return new QueueingReplay(policy, cost, jobs(seed), nodes, gpusPerNode, period, horizon(), stepping).run(seed, progress);
  }

  /**
   * When a replay stops: half the arrivals' span (at least {@link #MIN_GRACE}) after the last
   * arrival, and no earlier than {@link #MIN_GRACE} after the last moment a job run from its arrival
   * on would end (a job longer than the grace is never cut for being long). A policy that has not
   * finished every job by then is reported with the jobs it left unfinished, instead of running on:
   * under overload a policy whose preemptions cost more work than the runs between them keep can go
   * round for ever without finishing a job.
   */
  double horizon() {
    long first = trace.stream().mapToLong(TraceJob::arrival).min().orElse(0);
    long last = trace.stream().mapToLong(TraceJob::arrival).max().orElse(0);
    long latestEnd = trace.stream().mapToLong(j -> j.arrival() + j.duration()).max().orElse(0);
    return Math.max(last + Math.max(MIN_GRACE.toSeconds(), (last - first) / 2.0), latestEnd + MIN_GRACE.toSeconds());
  }

  /** The trace's jobs for a seed: each created at its arrival second plus a fraction of a second drawn from the seed. */
  private List<SimulatedJob> jobs(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<SimulatedJob> jobs = new ArrayList<>(trace.size());
    for (TraceJob j : trace) {
      Instant created = Instant.ofEpochSecond(j.arrival(), random.nextInt(1_000_000_000));
      jobs.add(new SimulatedJob(j, created, gpusPerNode));
    }
    return jobs;
  }

  /** Every policy with every seed, in that order, on up to {@code threads} threads. */
  public List<QueueingRun> runAll(List<QueueingPolicy> policies, List<Long> seeds, int threads, IntConsumer progress)
      throws InterruptedException {
    if (seeds.isEmpty() || seeds.size() > MAX_SEEDS) {
      throw new IllegalArgumentException("give 1.." + MAX_SEEDS + " seeds, not " + seeds.size());
    }
    List<Callable<QueueingRun>> runs = new ArrayList<>();
    for (QueueingPolicy policy : policies) {
      for (long seed : seeds) {
        runs.add(() -> run(policy, seed, progress));
      }
    }
    return ParallelRuns.run(runs, threads);
  }
}
