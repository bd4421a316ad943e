package dev.capstan.sim;

import dev.capstan.core.placement.GpuNode;
import dev.capstan.core.placement.NodeState;
import dev.capstan.core.placement.Placement;
import dev.capstan.core.placement.PlacementPolicy;
import dev.capstan.core.placement.GangPlacer;
import dev.capstan.core.placement.PodRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntConsumer;
import java.util.random.RandomGenerator;

/**
 * One run of the placement experiment: tasks arrive one per tick of a virtual clock, nothing
 * departs, and each arrival is placed at once by core's {@link GangPlacer} (a trace task is a gang
 * of one pod) with the policy under test on the cluster as it stands; a task that fits nowhere is
 * dropped, as in the authors' simulator. The simulator only supplies the clock, the cluster and the
 * arrivals: the decision is core's.
 */
public final class PlacementReplay {
  private final List<NodeState> nodes = new ArrayList<>();
  private final long capacityMilli;
  private final GangPlacer placer;
  private final RandomGenerator random;
  private long clock;
  private long arrivedMilli;
  private long allocatedMilli;
  private int unplaced;

  public PlacementReplay(List<GpuNode> cluster, PlacementPolicy policy, RandomGenerator random) {
    cluster.forEach(n -> nodes.add(NodeState.idle(n)));
    this.capacityMilli = cluster.stream().mapToLong(n -> (long) n.gpuCount() * PodRequest.MILLI).sum();
    this.placer = new GangPlacer(policy);
    this.random = random;
  }

  /** Replays the arrivals, sampling allocation after each; {@code progress} hears each arrival. */
  public AllocationCurve run(List<PodRequest> arrivals, int maxPercent, IntConsumer progress) {
    AllocationCurve curve = new AllocationCurve(capacityMilli, maxPercent);
    for (PodRequest pod : arrivals) {
      arrive(pod);
      curve.record(arrivedMilli, allocatedMilli);
      progress.accept(1);
    }
    return curve;
  }

  /** One arrival at the next tick: placed where the policy says, or counted as unplaced. */
  public Optional<Placement> arrive(PodRequest pod) {
    clock++;
    arrivedMilli += pod.totalGpuMilli();
    Optional<Placement> placement = placer.place(nodes, List.of(pod), random).map(List::getFirst);
    if (placement.isEmpty()) {
      unplaced++;
      return placement;
    }
    Placement p = placement.get();
    nodes.set(p.node(), nodes.get(p.node()).place(pod, p.gpus()));
    allocatedMilli += pod.totalGpuMilli();
    return placement;
  }

  public long clock() {
    return clock;
  }

  public int unplaced() {
    return unplaced;
  }

  public long allocatedMilli() {
    return allocatedMilli;
  }

  public List<NodeState> nodes() {
    return List.copyOf(nodes);
  }
}
