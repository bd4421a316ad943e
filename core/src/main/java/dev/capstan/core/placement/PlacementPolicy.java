package dev.capstan.core.placement;

import java.util.random.RandomGenerator;

/**
 * A placement policy: scores a node for a pod (higher is better) and chooses the pod's GPUs on the
 * node picked. {@link Placer} calls {@link #score} only for nodes the pod fits, takes the highest
 * score (ties broken at random, as kube-scheduler does) and then asks for the GPUs.
 */
public interface PlacementPolicy {
  String name();

  double score(NodeState node, PodRequest pod);

  /** The devices the pod takes on {@code node}: the tightest-fitting GPU by default. */
  default int[] chooseGpus(NodeState node, PodRequest pod, RandomGenerator random) {
    return GpuChoice.tightest(node, pod);
  }
}
