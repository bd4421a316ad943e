package dev.capstan.sim;

import dev.capstan.core.placement.GpuNode;
import dev.capstan.core.placement.PlacementPolicies;
import dev.capstan.core.placement.PodRequest;
import dev.capstan.core.placement.TargetWorkload;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.IntConsumer;

/**
 * The FGD experiment: for each policy and seed, the trace inflated to {@code ratio} of the cluster's
 * GPU capacity ({@link WorkloadInflation}) is replayed ({@link PlacementReplay}). A seed fixes the
 * arrival sequence (the same for every policy), the order of the nodes (which breaks ties between
 * nodes of equal score) and any random choice of a policy, so a run is deterministic. Runs go in parallel on up to {@code threads} threads. Fragmentation is measured
 * against the trace's own task sizes before inflation.
 */
public final class PlacementExperiment {
  /** The most seeds one experiment runs. */
  public static final int MAX_SEEDS = 100;
  private static final long TIE_BREAK_SALT = 0x9E3779B97F4A7C15L;

  private final List<GpuNode> nodes;
  private final List<TracePod> trace;
  private final double ratio;
  private final TargetWorkload target;
  private final long capacityMilli;

  /** One run's result. */
  public record Run(String policy, long seed, AllocationCurve curve, int arrivals, int unplaced) {}

  public PlacementExperiment(List<GpuNode> nodes, List<TracePod> trace, double ratio) {
    this.nodes = List.copyOf(nodes);
    this.trace = List.copyOf(trace);
    this.ratio = ratio;
    this.target = TargetWorkload.of(trace.stream().map(TracePod::request).toList());
    this.capacityMilli = nodes.stream().mapToLong(n -> (long) n.gpuCount() * PodRequest.MILLI).sum();
    if (capacityMilli == 0) {
      throw new IllegalArgumentException("the cluster has no GPUs");
    }
    if (!(ratio > 0 && ratio <= WorkloadInflation.MAX_RATIO)) {
      throw new IllegalArgumentException("ratio must be in (0, " + WorkloadInflation.MAX_RATIO + "], not " + ratio);
    }
  }

  public int maxPercent() {
    return (int) Math.round(ratio * 100);
  }

  /** The arrivals of one seed. */
  public List<PodRequest> arrivals(long seed) {
    return WorkloadInflation.arrivals(trace, capacityMilli, ratio, new SplittableRandom(seed));
  }

  public Run run(PlacementPolicies policy, long seed, IntConsumer progress) {
    List<PodRequest> arrivals = arrivals(seed);
    SplittableRandom random = new SplittableRandom(seed ^ TIE_BREAK_SALT);
    PlacementReplay replay = new PlacementReplay(nodeOrder(random), policy.create(target), random);
    AllocationCurve curve = replay.run(arrivals, maxPercent(), progress);
    return new Run(policy.policyName(), seed, curve, arrivals.size(), replay.unplaced());
  }

  /** The nodes in a random order of the seed's: the order ties between nodes are broken in. */
  private List<GpuNode> nodeOrder(SplittableRandom random) {
    List<GpuNode> order = new ArrayList<>(nodes);
    for (int i = order.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      order.set(i, order.set(j, order.get(i)));
    }
    return order;
  }

  /** Every policy with every seed, in that order, on up to {@code threads} threads. */
  public List<Run> runAll(List<PlacementPolicies> policies, List<Long> seeds, int threads, IntConsumer progress)
      throws InterruptedException {
    if (seeds.isEmpty() || seeds.size() > MAX_SEEDS) {
      throw new IllegalArgumentException("give 1.." + MAX_SEEDS + " seeds, not " + seeds.size());
    }
    List<Callable<Run>> runs = new ArrayList<>();
    for (PlacementPolicies policy : policies) {
      for (long seed : seeds) {
        runs.add(() -> run(policy, seed, progress));
      }
    }
    return ParallelRuns.run(runs, threads);
  }

  /** How many arrivals all runs together replay, for a progress bar. */
  public long totalArrivals(int policies, List<Long> seeds) {
    long total = 0;
    for (long seed : seeds) {
      total += arrivals(seed).size();
    }
    return total * policies;
  }
}
