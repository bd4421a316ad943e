package dev.capstan.bench.scheduler;

import dev.capstan.api.queue.NamespaceMatch;
import dev.capstan.api.queue.PreemptionRules;
import dev.capstan.api.queue.QueueModel;
import dev.capstan.api.queue.QueueingStrategy;
import dev.capstan.api.queue.Quota;
import dev.capstan.api.queue.ResourceUnits;
import dev.capstan.api.queue.StopPolicy;
import dev.capstan.core.queue.Capacity;
import dev.capstan.core.queue.ResourceList;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

/**
 * A synthetic cluster, deterministic for a seed: nodes of three shapes (8-GPU, 4-GPU, CPU-only),
 * queues in cohorts each with an equal part of the whole as nominal quota (free to borrow the rest
 * of its cohort's, weights 1 and 2 alternating), and pending gangs of 1-64 replicas (seven in ten
 * ask one GPU, 8 cores and 64 GiB per pod; the rest 4 cores and 16 GiB), priorities 0-3.
 */
final class SyntheticCluster {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final long GI = 1L << 30;
  static final ResourceList GPU_NODE_8 = ResourceList.of(ResourceUnits.GPU, 8, ResourceUnits.CPU, 96_000, ResourceUnits.MEMORY, 1024 * GI);
  static final ResourceList GPU_NODE_4 = ResourceList.of(ResourceUnits.GPU, 4, ResourceUnits.CPU, 48_000, ResourceUnits.MEMORY, 512 * GI);
  static final ResourceList CPU_NODE = ResourceList.of(ResourceUnits.CPU, 64_000, ResourceUnits.MEMORY, 256 * GI);
  static final ResourceList GPU_POD = ResourceList.of(ResourceUnits.GPU, 1, ResourceUnits.CPU, 8_000, ResourceUnits.MEMORY, 64 * GI);
  static final ResourceList CPU_POD = ResourceList.of(ResourceUnits.CPU, 4_000, ResourceUnits.MEMORY, 16 * GI);

  final Capacity capacity;
  final List<QueueModel> queues;
  final List<BenchJob> jobs;

  SyntheticCluster(int nodes, int queueCount, int cohorts, int jobCount, long seed) {
    this.capacity = capacity(nodes);
    this.queues = queues(queueCount, cohorts, capacity.total());
    this.jobs = jobs(jobCount, queues, new Random(seed));
  }

  private static Capacity capacity(int count) {
    List<Capacity.Node> nodes = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      ResourceList shape = i % 5 < 3 ? GPU_NODE_8 : i % 5 == 3 ? GPU_NODE_4 : CPU_NODE;
      nodes.add(new Capacity.Node(String.format("node-%05d", i), shape));
    }
    return new Capacity(nodes, Set.of(ResourceUnits.GPU, ResourceUnits.CPU, ResourceUnits.MEMORY));
  }

  private static List<QueueModel> queues(int count, int cohorts, ResourceList total) {
    Map<String, Quota> quota = new HashMap<>();
    for (String r : total.names()) {
      quota.put(r, Quota.nominal(total.get(r) / count));
    }
    PreemptionRules rules = new PreemptionRules(PreemptionRules.WithinQueue.LowerPriority, PreemptionRules.Reclaim.Any,
        PreemptionRules.BorrowWithinCohort.Never, java.util.OptionalInt.empty());
    List<QueueModel> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(new QueueModel(String.format("queue-%02d", i), 1, NamespaceMatch.ANY, Optional.of("cohort-" + i % cohorts),
          QueueingStrategy.BestEffortFIFO, Map.copyOf(quota), false, rules, 1 + i % 2, StopPolicy.None, Duration.ZERO));
    }
    return out;
  }

  private static List<BenchJob> jobs(int count, List<QueueModel> queues, Random random) {
    List<BenchJob> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      ResourceList perPod = random.nextInt(10) < 7 ? GPU_POD : CPU_POD;
      out.add(BenchJob.of(i, queues.get(random.nextInt(queues.size())).name(), random.nextInt(4), T0.plusSeconds(i),
          1 + random.nextInt(64), perPod));
    }
    return out;
  }
}
