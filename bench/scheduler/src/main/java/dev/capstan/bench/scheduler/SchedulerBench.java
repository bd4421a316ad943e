package dev.capstan.bench.scheduler;

import dev.capstan.core.queue.AdmissionDecision;
import dev.capstan.core.queue.AdmittedWorkload;
import dev.capstan.core.queue.QueueableWorkload;
import dev.capstan.core.queue.SchedulerPolicy;
import dev.capstan.core.queue.SchedulingCycle;
import dev.capstan.core.queue.SchedulingResult;
import dev.capstan.core.queue.SchedulingSnapshot;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Throughput of core's scheduling cycle ({@link SchedulingCycle}, as the control plane, the
 * operator and the simulator run it) on a {@link SyntheticCluster}: a cold cycle (empty cluster,
 * every job pending), churn cycles (a twentieth of the running jobs end before each; preempted jobs
 * go back to pending), and idle cycles (nothing changed). Against the {@link NaiveScan} on the cold
 * snapshot, and the memory a pending job costs: what it holds, and what a cycle allocates for it.
 * Times are the benchmark thread's CPU time (garbage collection on other threads not included).
 */
public final class SchedulerBench {
  private final Map<String, Integer> options = new HashMap<>(Map.of(
      "nodes", 5000, "queues", 50, "cohorts", 5, "jobs", 50_000, "churn-cycles", 20, "repeats", 3));

  public static void main(String[] args) {
    new SchedulerBench(args).run();
  }

  private SchedulerBench(String[] args) {
    for (int i = 0; i + 1 < args.length; i += 2) {
      String name = args[i].replaceFirst("^--", "");
      if (!options.containsKey(name)) {
        throw new IllegalArgumentException("unknown option " + args[i] + "; known: " + options.keySet());
      }
      options.put(name, Integer.parseInt(args[i + 1]));
    }
  }

  private void run() {
    long before = usedHeap();
    SyntheticCluster cluster = new SyntheticCluster(options.get("nodes"), options.get("queues"), options.get("cohorts"),
        options.get("jobs"), 42);
    long heldPerJob = (usedHeap() - before) / cluster.jobs.size();
    System.out.printf("synthetic cluster: %d nodes, %d queues in %d cohorts, %d pending gangs of 1-64 replicas (%d pods)%n",
        cluster.capacity.nodes().size(), cluster.queues.size(), options.get("cohorts"), cluster.jobs.size(),
        cluster.jobs.stream().mapToInt(j -> j.podSets().get(0).count()).sum());

    double[] coldMs = new double[options.get("repeats")];
    int coldAdmitted = 0;
    long allocated = 0;
    for (int i = 0; i < coldMs.length; i++) {
      long allocBefore = allocatedBytes();
      long t = cpuNanos();
      SchedulingResult r = SchedulingCycle.run(snapshot(cluster, List.of(), cluster.jobs, SyntheticCluster.T0), SchedulerPolicy.CLUSTER);
      coldMs[i] = (cpuNanos() - t) / 1e6;
      allocated = allocatedBytes() - allocBefore;
      coldAdmitted = admitted(r, cluster.jobs);
    }
    double cold = median(coldMs);

    long t = cpuNanos();
    int naiveAdmitted = NaiveScan.admit(cluster.queues, cluster.capacity, cluster.jobs).size();
    double naiveMs = (cpuNanos() - t) / 1e6;

    Churn churn = churn(cluster);

    System.out.printf("%ncold cycle (empty cluster, all %d pending), median of %d: %.1f ms, %d admitted: %.0f admissions/s%n",
        cluster.jobs.size(), coldMs.length, cold, coldAdmitted, coldAdmitted / cold * 1000);
    System.out.printf("  runs: %s ms%n", Arrays.toString(Arrays.stream(coldMs).map(m -> Math.round(m * 10) / 10.0).toArray()));
    System.out.printf("naive per-job full scan, same snapshot, one run: %.1f ms, %d admitted: %.0f admissions/s%n",
        naiveMs, naiveAdmitted, naiveAdmitted / naiveMs * 1000);
    System.out.printf("  cycle vs naive: %.1fx the admissions/s (%.1f vs %.1f µs per pending job)%n",
        (coldAdmitted / cold) / (naiveAdmitted / naiveMs), cold * 1000 / cluster.jobs.size(), naiveMs * 1000 / cluster.jobs.size());
    System.out.printf("churn, %d cycles (1/20 of running jobs end before each): %.1f ms per cycle (max %.1f), %.0f admitted and %.0f preempted"
            + " per cycle: %.0f admissions/s%n", churn.cycles, churn.ms / churn.cycles, churn.maxMs, (double) churn.admitted / churn.cycles,
        (double) churn.preempted / churn.cycles, churn.admitted / churn.ms * 1000);
    System.out.printf("idle cycle (nothing changed, %d running, %d pending): %.1f ms%n", churn.running, churn.pending, churn.idleMs);
    System.out.printf("  vs the cold cycle: %.2fx its time%n", churn.idleMs / cold);
    System.out.printf("memory per pending job: %d bytes held (the workload as this benchmark builds it), %d bytes allocated by a cold cycle%n",
        heldPerJob, allocated / cluster.jobs.size());
    System.out.printf("target 5,000 admissions/s: cold %.2fx, churn %.2fx%n", coldAdmitted / cold * 1000 / 5000,
        churn.admitted / churn.ms * 1000 / 5000);
  }

  private record Churn(int cycles, double ms, double maxMs, int admitted, int preempted, double idleMs, int running, int pending) {}

  private Churn churn(SyntheticCluster cluster) {
    Random random = new Random(7);
    Map<String, AdmittedWorkload> running = new LinkedHashMap<>();
    Map<String, QueueableWorkload> pending = new LinkedHashMap<>();
    cluster.jobs.forEach(j -> pending.put(j.key(), j));
    Instant now = SyntheticCluster.T0;
    int cycles = options.get("churn-cycles");
    double total = 0;
    double max = 0;
    int admitted = 0;
    int preempted = 0;
    for (int c = 0; c <= cycles; c++) {
      now = now.plusSeconds(60);
      if (c > 0) {
        List<String> keys = new ArrayList<>(running.keySet());
        for (int i = 0; i < keys.size() / 20; i++) {
          running.remove(keys.get(random.nextInt(keys.size())));
        }
      }
      SchedulingSnapshot snapshot = snapshot(cluster, List.copyOf(running.values()), List.copyOf(pending.values()), now);
      long t = cpuNanos();
      SchedulingResult r = SchedulingCycle.run(snapshot, SchedulerPolicy.CLUSTER);
      double ms = (cpuNanos() - t) / 1e6;
      int admittedNow = 0;
      for (SchedulingResult.Preempted p : r.preemptions()) {
        AdmittedWorkload a = running.remove(p.victim());
        if (a != null) {
          pending.put(a.key(), a.workload());
        }
      }
      for (Map.Entry<String, AdmissionDecision> d : r.decisions().entrySet()) {
        QueueableWorkload w = pending.get(d.getKey());
        if (d.getValue() instanceof AdmissionDecision.Admitted a && w != null) {
          pending.remove(d.getKey());
          running.put(w.key(), new AdmittedWorkload(w, a.queue(), now));
          admittedNow++;
        }
      }
      if (c > 0) { // the first fills the empty cluster: that is the cold cycle
        total += ms;
        max = Math.max(max, ms);
        admitted += admittedNow;
        preempted += r.preemptions().size();
      }
    }
    SchedulingSnapshot still = snapshot(cluster, List.copyOf(running.values()), List.copyOf(pending.values()), now);
    double[] idle = new double[5];
    for (int i = 0; i < idle.length; i++) {
      long t = cpuNanos();
      SchedulingCycle.run(still, SchedulerPolicy.CLUSTER);
      idle[i] = (cpuNanos() - t) / 1e6;
    }
    return new Churn(cycles, total, max, admitted, preempted, median(idle), running.size(), pending.size());
  }

  private static SchedulingSnapshot snapshot(SyntheticCluster cluster, List<AdmittedWorkload> admitted,
      List<? extends QueueableWorkload> pending, Instant now) {
    return new SchedulingSnapshot(now, cluster.queues, Map.of(), Map.of(), admitted, List.copyOf(pending), cluster.capacity);
  }

  private static int admitted(SchedulingResult r, List<BenchJob> pending) {
    int n = 0;
    for (BenchJob j : pending) {
      if (r.decision(j.key()) instanceof AdmissionDecision.Admitted) {
        n++;
      }
    }
    return n;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static long usedHeap() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** This thread's CPU time: on a machine others share, wall time measures them as much as the cycle. */
  private static long cpuNanos() {
    return ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }

  private static long allocatedBytes() {
    return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
  }
}
