package dev.capstan.core.placement;

import java.util.random.RandomGenerator;

/**
 * Capstan's default GPU placement: FGD's rule for each pod (place where the expected fragmentation
 * of the cluster grows least, scored as FGD scores it, ties to the first node in the snapshot's
 * order), made gang-aware by {@link GangPlacer}: a gang's pods are placed together or not at all,
 * the largest GPU request first, each on the snapshot as the members before it left it.
 *
 * <p>Variants that compare the growth exactly, in buckets of 25 to 200 milli-GPU, or break FGD's
 * ties by best fit, GPU packing or GPU clustering were measured on the Alibaba trace and placed no
 * better than FGD (docs/sim.md); FGD's integer score, with ties to a fixed node order, already
 * gathers pods on nodes in use.
 */
public final class CapstanPlacement implements PlacementPolicy {
  private final FragmentationGradientDescent fgd;

  public CapstanPlacement(TargetWorkload target) {
    this.fgd = new FragmentationGradientDescent(target);
  }

  @Override
  public String name() {
    return "capstan";
  }

  @Override
  public double score(NodeState node, PodRequest pod) {
    return fgd.score(node, pod);
  }

  @Override
  public int[] chooseGpus(NodeState node, PodRequest pod, RandomGenerator random) {
    return fgd.chooseGpus(node, pod, random);
  }
}
