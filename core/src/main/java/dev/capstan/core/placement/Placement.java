package dev.capstan.core.placement;

import java.util.Arrays;

/** Where a pod goes: the index of its node in the snapshot it was placed on, and its GPU devices. */
public record Placement(int node, int[] gpus) {
  public Placement {
    gpus = gpus.clone();
  }

  @Override
  public int[] gpus() {
    return gpus.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Placement p && p.node == node && Arrays.equals(p.gpus, gpus);
  }

  @Override
  public int hashCode() {
    return 31 * node + Arrays.hashCode(gpus);
  }

  @Override
  public String toString() {
    return "Placement[node=" + node + ", gpus=" + Arrays.toString(gpus) + "]";
  }
}
