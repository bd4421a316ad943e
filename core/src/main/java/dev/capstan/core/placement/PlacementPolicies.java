package dev.capstan.core.placement;

import java.util.List;
import java.util.function.Function;

/** The placement policies by name; those that measure fragmentation need the target workload. */
public enum PlacementPolicies {
  RANDOM("random", t -> new RandomFit()),
  DOTPROD("dotprod", t -> new DotProduct()),
  CLUSTERING("clustering", t -> new GpuClustering()),
  PACKING("packing", t -> new GpuPacking()),
  BESTFIT("bestfit", t -> new BestFit()),
  FGD("fgd", FragmentationGradientDescent::new),
  CAPSTAN("capstan", CapstanPlacement::new);

  private final String policyName;
  private final Function<TargetWorkload, PlacementPolicy> factory;

  PlacementPolicies(String policyName, Function<TargetWorkload, PlacementPolicy> factory) {
    this.policyName = policyName;
    this.factory = factory;
  }

  public String policyName() {
    return policyName;
  }

  /** A fresh policy (policies that remember fragmentation values are not shared between runs). */
  public PlacementPolicy create(TargetWorkload target) {
    return factory.apply(target);
  }

  public static PlacementPolicies named(String name) {
    for (PlacementPolicies p : values()) {
      if (p.policyName.equals(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown placement policy '" + name + "', expected one of " + names());
  }

  public static List<String> names() {
    return java.util.Arrays.stream(values()).map(PlacementPolicies::policyName).toList();
  }
}
