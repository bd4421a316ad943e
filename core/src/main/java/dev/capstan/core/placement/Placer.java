package dev.capstan.core.placement;

import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * One placement decision on a snapshot of nodes: keep the nodes the pod fits, score each with the
 * policy, take the highest score, break ties as the policy says ({@link PlacementPolicy.TieBreak}),
 * then let the policy choose the GPUs. Empty when the pod fits no node.
 */
public final class Placer {
  private final PlacementPolicy policy;

  public Placer(PlacementPolicy policy) {
    this.policy = policy;
  }

  public PlacementPolicy policy() {
    return policy;
  }

  public Optional<Placement> place(List<NodeState> nodes, PodRequest pod, RandomGenerator random) {
    boolean uniform = policy.tieBreak() == PlacementPolicy.TieBreak.UNIFORM;
    int chosen = -1;
    int ties = 0;
    double best = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < nodes.size(); i++) {
      NodeState node = nodes.get(i);
      if (!node.fits(pod)) {
        continue;
      }
      double score = policy.score(node, pod);
      if (chosen < 0 || score > best) {
        best = score;
        chosen = i;
        ties = 1;
      } else if (score == best && uniform && random.nextInt(++ties) == 0) {
        chosen = i;
      }
    }
    if (chosen < 0) {
      return Optional.empty();
    }
    return Optional.of(new Placement(chosen, policy.chooseGpus(nodes.get(chosen), pod, random)));
  }
}
