package dev.capstan.bench.scheduler;

import dev.capstan.api.queue.QueueModel;
import dev.capstan.core.queue.Capacity;
import dev.capstan.core.queue.PodSet;
import dev.capstan.core.queue.ResourceList;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The baseline: admission as a straightforward loop would do it, on the same snapshot. Jobs in
 * priority then age order; for each, the cohort's usage is summed over every admitted job and the
 * pods are placed first fit scanning every node from the first. No fair sharing and no preemption,
 * so it does less than the cycle; only its cost per job is compared.
 */
final class NaiveScan {
  private NaiveScan() {}

  /** The jobs admitted, in order. */
  static List<BenchJob> admit(List<QueueModel> queues, Capacity capacity, List<BenchJob> pending) {
    Map<String, QueueModel> byName = queues.stream().collect(Collectors.toMap(QueueModel::name, Function.identity()));
    ResourceList[] free = capacity.nodes().stream().map(Capacity.Node::allocatable).toArray(ResourceList[]::new);
    List<BenchJob> admitted = new ArrayList<>();
    List<BenchJob> order = new ArrayList<>(pending);
    order.sort(Comparator.comparingInt((BenchJob j) -> -j.priority().orElse(0)).thenComparing(BenchJob::createdAt));
    for (BenchJob job : order) {
      String cohort = byName.get(job.queueName().orElseThrow()).cohort().orElseThrow();
      ResourceList used = ResourceList.EMPTY;
      for (BenchJob a : admitted) {
        if (byName.get(a.queueName().orElseThrow()).cohort().orElseThrow().equals(cohort)) {
          used = used.plus(a.demand());
        }
      }
      ResourceList quota = ResourceList.EMPTY;
      for (QueueModel q : queues) {
        if (q.cohort().orElseThrow().equals(cohort)) {
          for (String r : job.demand().names()) {
            quota = quota.plus(ResourceList.of(r, q.quota(r).nominal()));
          }
        }
      }
      if (used.plus(job.demand()).fitsIn(quota) && place(job, free)) {
        admitted.add(job);
      }
    }
    return admitted;
  }

  private static boolean place(BenchJob job, ResourceList[] free) {
    List<int[]> placed = new ArrayList<>();
    for (PodSet set : job.podSets()) {
      for (int i = 0; i < set.count(); i++) {
        int node = -1;
        for (int n = 0; n < free.length && node < 0; n++) {
          if (set.perPod().fitsIn(free[n])) {
            node = n;
          }
        }
        if (node < 0) {
          for (int[] p : placed) {
            free[p[0]] = free[p[0]].plus(job.podSets().get(p[1]).perPod());
          }
          return false;
        }
        free[node] = free[node].minus(set.perPod());
        placed.add(new int[] {node, job.podSets().indexOf(set)});
      }
    }
    return true;
  }
}
