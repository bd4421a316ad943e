package dev.capstan.core.queue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The fit check: whether every pod of a gang finds a node with room (first fit), never part of a
 * gang. Tracks where each admitted workload's pods were counted, so a preemption can be tried and
 * undone. Admitted workloads that no longer fit (capacity shrank) are charged to the first node,
 * so nothing new fits over them.
 */
final class NodeFit {
  private record Placed(int node, ResourceList amount) {}

  private final List<Capacity.Node> nodes;
  private final java.util.Set<String> counted;
  private final ResourceList[] free;
  private final Map<String, List<Placed>> placements = new HashMap<>();
  /** Every node before this one has nothing left of any counted resource (so first fit starts here). */
  private int exhaustedBefore;

  NodeFit(Capacity capacity) {
    this.nodes = capacity.nodes();
    this.counted = capacity.resources();
    this.free = nodes.stream().map(Capacity.Node::unreserved).toArray(ResourceList[]::new);
  }

  void placeAdmitted(String key, List<PodSet> all) {
    List<PodSet> podSets = counted(all);
    if (!place(key, podSets) && free.length > 0) {
      ResourceList gang = podSets.stream().map(PodSet::total).reduce(ResourceList.EMPTY, ResourceList::plus);
      take(0, gang);
      placements.put(key, List.of(new Placed(0, gang)));
    }
  }

  /** Counts the gang on nodes if every pod fits; otherwise changes nothing and returns false. */
  boolean place(String key, List<PodSet> all) {
    List<PodSet> podSets = counted(all);
    List<Placed> placed = new ArrayList<>();
    for (PodSet set : podSets) {
      for (int i = 0; i < set.count(); i++) {
        int node = firstFitFree(set.perPod());
        if (node < 0) {
          placed.forEach(p -> giveBack(p.node(), p.amount()));
          return false;
        }
        take(node, set.perPod());
        placed.add(new Placed(node, set.perPod()));
      }
    }
    placements.put(key, placed);
    return true;
  }

  void release(String key) {
    List<Placed> placed = placements.remove(key);
    if (placed != null) {
      placed.forEach(p -> giveBack(p.node(), p.amount()));
    }
  }

  /** Whether the gang would fit with nothing else admitted. */
  boolean fitsEmpty(List<PodSet> all) {
    List<PodSet> podSets = counted(all);
    ResourceList[] empty = nodes.stream().map(Capacity.Node::allocatable).toArray(ResourceList[]::new);
    for (PodSet set : podSets) {
      for (int i = 0; i < set.count(); i++) {
        int node = firstFit(set.perPod(), empty);
        if (node < 0) {
          return false;
        }
        empty[node] = empty[node].minus(set.perPod());
      }
    }
    return true;
  }

  /** What is short for the gang: a resource the gang needs more of than is free in all, else the pod too big for any node. */
  Shortfall shortfall(List<PodSet> all, Shortfall.Kind kind, boolean empty) {
    List<PodSet> podSets = counted(all);
    ResourceList[] view = empty ? nodes.stream().map(Capacity.Node::allocatable).toArray(ResourceList[]::new) : free;
    ResourceList total = ResourceList.EMPTY;
    for (ResourceList f : view) {
      total = total.plus(f);
    }
    ResourceList demand = podSets.stream().map(PodSet::total).reduce(ResourceList.EMPTY, ResourceList::plus);
    for (String r : demand.names()) {
      if (demand.get(r) > total.get(r)) {
        return new Shortfall(kind, r, demand.get(r), total.get(r));
      }
    }
    for (PodSet set : podSets) {
      for (String r : set.perPod().names()) {
        long most = 0;
        for (ResourceList f : view) {
          most = Math.max(most, f.get(r));
        }
        if (set.perPod().get(r) > most) {
          return new Shortfall(kind, r, set.perPod().get(r), most);
        }
      }
    }
    String r = demand.names().stream().findFirst().orElse("pods");
    return new Shortfall(kind, r, demand.get(r), total.get(r));
  }

  /** The pod sets with only the resources this capacity counts. */
  private List<PodSet> counted(List<PodSet> podSets) {
    return podSets.stream().map(p -> new PodSet(p.name(), p.count(), p.perPod().only(counted))).toList();
  }

  /** First fit on the free amounts, skipping the leading nodes that have nothing left (a pod asking for nothing fits on the first). */
  private int firstFitFree(ResourceList pod) {
    for (int n = pod.isEmpty() ? 0 : exhaustedBefore; n < free.length; n++) {
      if (pod.fitsIn(free[n])) {
        return n;
      }
    }
    return -1;
  }

  private void take(int node, ResourceList amount) {
    free[node] = free[node].minus(amount);
    while (exhaustedBefore < free.length && exhausted(free[exhaustedBefore])) {
      exhaustedBefore++;
    }
  }

  private void giveBack(int node, ResourceList amount) {
    free[node] = free[node].plus(amount);
    if (node < exhaustedBefore && !exhausted(free[node])) {
      exhaustedBefore = node;
    }
  }

  private static boolean exhausted(ResourceList left) {
    for (String r : left.names()) {
      if (left.get(r) > 0) {
        return false;
      }
    }
    return true;
  }

  private static int firstFit(ResourceList pod, ResourceList[] free) {
    for (int n = 0; n < free.length; n++) {
      if (pod.fitsIn(free[n])) {
        return n;
      }
    }
    return -1;
  }
}
