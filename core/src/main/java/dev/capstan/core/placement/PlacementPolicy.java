package dev.capstan.core.placement;

import java.util.random.RandomGenerator;

/**
 * A placement policy: scores a node for a pod (higher is better) and chooses the pod's GPUs on the
 * node picked. {@link Placer} calls {@link #score} only for nodes the pod fits, takes the highest
 * score, breaks ties as {@link #tieBreak()} says, and then asks for the GPUs.
 */
public interface PlacementPolicy {
  String name();

  double score(NodeState node, PodRequest pod);

  /** How nodes of equal score are told apart: by their order in the snapshot unless a policy says otherwise. */
  default TieBreak tieBreak() {
    return TieBreak.NODE_ORDER;
  }

  /** How the placer chooses among nodes of equal score. */
  enum TieBreak {
    /**
     * The node earliest in the snapshot, so a fixed node order acts as a priority, as the FGD
     * authors' scheduler does (it takes the lexically first node name, names carrying a random
     * prefix per run).
     */
    NODE_ORDER,
    /** Uniformly at random, as upstream kube-scheduler does. */
    UNIFORM
  }

  /** The devices the pod takes on {@code node}: the tightest-fitting GPU by default. */
  default int[] chooseGpus(NodeState node, PodRequest pod, RandomGenerator random) {
    return GpuChoice.tightest(node, pod);
  }
}
