package dev.capstan.core.placement;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Places a gang (the pods of one job that must all run) together or not at all: the pods go one by
 * one, the largest GPU request first, each by the {@link Placer} on the snapshot as the members
 * before it left it. When a member fits nowhere, nothing is placed.
 */
public final class GangPlacer {
  /** The most pods in one gang. */
  public static final int MAX_GANG = 10_000;

  private final Placer placer;

  public GangPlacer(PlacementPolicy policy) {
    this.placer = new Placer(policy);
  }

  /** A placement per pod, in the order of {@code gang}, or empty when the gang does not fit. */
  public Optional<List<Placement>> place(List<NodeState> nodes, List<PodRequest> gang, RandomGenerator random) {
    if (gang.isEmpty() || gang.size() > MAX_GANG) {
      throw new IllegalArgumentException("a gang has 1.." + MAX_GANG + " pods, not " + gang.size());
    }
    if (gang.size() == 1) {
      return placer.place(nodes, gang.get(0), random).map(List::of);
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < gang.size(); i++) {
      order.add(i);
    }
    order.sort(Comparator.comparingLong((Integer i) -> gang.get(i).totalGpuMilli()).reversed()
        .thenComparing(Comparator.comparingLong((Integer i) -> gang.get(i).cpuMilli()).reversed()));
    List<NodeState> snapshot = new ArrayList<>(nodes);
    Placement[] placements = new Placement[gang.size()];
    for (int i : order) {
      PodRequest pod = gang.get(i);
      Optional<Placement> p = placer.place(snapshot, pod, random);
      if (p.isEmpty()) {
        return Optional.empty();
      }
      placements[i] = p.get();
      snapshot.set(p.get().node(), snapshot.get(p.get().node()).place(pod, p.get().gpus()));
    }
    return Optional.of(List.of(placements));
  }
}
