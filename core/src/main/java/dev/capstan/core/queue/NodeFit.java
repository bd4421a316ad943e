package dev.capstan.core.queue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fit check: whether every pod of a gang finds a node with room (first fit, in node order),
 * never part of a gang. Tracks where each admitted workload's pods were counted, so a preemption can
 * be tried and undone exactly. An admitted workload whose nodes are known is counted there, even
 * beyond a node's room ({@link #placeOn}); the others first fit, and those that no longer fit
 * (capacity shrank) are charged to the first node, so nothing new fits over them.
 *
 * <p>Free amounts are kept as one vector per node over the counted resources, with a tree of
 * per-resource maxima over node ranges, so the first node with room for a pod is found without
 * scanning the full ones, and the total free, so a gang larger than what is free fails at once. Between
 * trials free capacity only shrinks within a cycle, so a gang shape that found no room still finds
 * none: {@link #placeIfRoom} remembers it.
 */
final class NodeFit {
  /** {@code pods} pods of a gang counted on {@code node}, {@code amount} in all. */
  private record Placed(int node, long[] amount, int pods) {}

  private final List<Capacity.Node> nodes;
  private final Map<String, Integer> nodeIndex = new HashMap<>();
  private final Set<String> counted;
  private final String[] resources;
  private final int width;
  private final int leaves;
  private final long[] allocatable;
  private final long[] free;
  private final long[] total;
  /** Per tree node (1 is the root, leaves from {@link #leaves}), the most free of each resource on any node under it. */
  private final long[] most;
  private final Map<String, List<Placed>> placements = new HashMap<>();
  private final Map<String, List<Placed>> released = new HashMap<>();
  /** Single-pod-set gangs that found no room, by pod: the fewest replicas that did not fit. */
  private final Map<ResourceList, Integer> noRoomFor = new HashMap<>();
  private final Set<List<PodSet>> noRoom = new HashSet<>();

  NodeFit(Capacity capacity) {
    this.nodes = capacity.nodes();
    for (int n = 0; n < nodes.size(); n++) {
      nodeIndex.putIfAbsent(nodes.get(n).name(), n);
    }
    this.counted = capacity.resources();
    this.resources = counted.stream().sorted().toArray(String[]::new);
    this.width = resources.length;
    int size = 1;
    while (size < nodes.size()) {
      size <<= 1;
    }
    this.leaves = size;
    this.allocatable = new long[nodes.size() * width];
    this.free = new long[nodes.size() * width];
    this.total = new long[width];
    this.most = new long[2 * leaves * width];
    Arrays.fill(most, Long.MIN_VALUE);
    for (int n = 0; n < nodes.size(); n++) {
      System.arraycopy(vector(nodes.get(n).allocatable()), 0, allocatable, n * width, width);
      long[] v = vector(nodes.get(n).unreserved());
      System.arraycopy(v, 0, free, n * width, width);
      for (int r = 0; r < width; r++) {
        total[r] += Math.max(0, v[r]);
      }
    }
    for (int n = 0; n < nodes.size(); n++) {
      System.arraycopy(free, n * width, most, (leaves + n) * width, width);
    }
    for (int t = leaves - 1; t >= 1; t--) {
      pull(t);
    }
  }

  /**
   * Counts an admitted workload whose nodes are not known: on the first nodes with room, or, where
   * none has, on the first node. Those whose nodes are known are counted first ({@link #placeOn}), so
   * this one does not take the room one of them holds where it runs.
   */
  void placeAdmitted(String key, List<PodSet> all) {
    if (place(key, all) || nodes.isEmpty()) {
      return;
    }
    long[] gang = new long[width];
    int pods = 0;
    for (PodSet set : all) {
      add(gang, vector(set.perPod()), set.count());
      pods += set.count();
    }
    take(0, gang);
    placements.put(key, List.of(new Placed(0, gang, pods)));
  }

  /**
   * Counts an admitted workload on {@code podNodes} (a node per pod, in pod-set order), even beyond a
   * node's room (it runs there); false, counting nothing, unless they name a known node for every pod.
   */
  boolean placeOn(String key, List<PodSet> all, List<String> podNodes) {
    int pods = all.stream().mapToInt(PodSet::count).sum();
    if (podNodes.isEmpty() || podNodes.size() != pods) {
      return false;
    }
    int[] at = new int[pods];
    for (int i = 0; i < pods; i++) {
      Integer node = nodeIndex.get(podNodes.get(i));
      if (node == null) {
        return false;
      }
      at[i] = node;
    }
    List<Placed> placed = new ArrayList<>();
    int i = 0;
    for (PodSet set : all) {
      long[] pod = vector(set.perPod());
      for (int p = 0; p < set.count(); ) {
        int run = 1;
        while (p + run < set.count() && at[i + run] == at[i]) {
          run++;
        }
        long[] amount = new long[width];
        add(amount, pod, run);
        take(at[i], amount);
        placed.add(new Placed(at[i], amount, run));
        p += run;
        i += run;
      }
    }
    placements.put(key, placed);
    return true;
  }

  /** The node of each pod of a workload counted here, in pod-set order; empty if it is not counted. */
  List<String> nodesOf(String key) {
    List<String> names = new ArrayList<>();
    for (Placed p : placements.getOrDefault(key, List.of())) {
      for (int i = 0; i < p.pods(); i++) {
        names.add(nodes.get(p.node()).name());
      }
    }
    return names;
  }

  /**
   * {@link #place} for the cycle's own admissions, which only ever take capacity: a gang at least
   * as large as one that found no room fails without a search.
   */
  boolean placeIfRoom(String key, List<PodSet> all) {
    List<PodSet> podSets = counted(all);
    if (podSets.size() == 1) {
      Integer fewest = noRoomFor.get(podSets.get(0).perPod());
      if (fewest != null && podSets.get(0).count() >= fewest) {
        return false;
      }
    } else if (noRoom.contains(podSets)) {
      return false;
    }
    if (place(key, podSets)) {
      return true;
    }
    if (podSets.size() == 1) {
      noRoomFor.merge(podSets.get(0).perPod(), podSets.get(0).count(), Math::min);
    } else {
      noRoom.add(podSets);
    }
    return false;
  }

  /** Counts the gang on nodes if every pod fits; otherwise changes nothing and returns false. */
  boolean place(String key, List<PodSet> all) {
    long[] gang = new long[width];
    for (PodSet set : all) {
      add(gang, vector(set.perPod()), set.count());
    }
    for (int r = 0; r < width; r++) {
      if (gang[r] > total[r]) {
        return false;
      }
    }
    List<Placed> placed = new ArrayList<>();
    for (PodSet set : all) {
      long[] pod = vector(set.perPod());
      int left = set.count();
      while (left > 0) {
        int node = isZero(pod) ? (nodes.isEmpty() ? -1 : 0) : firstWithRoom(pod, 1);
        if (node < 0) {
          placed.forEach(p -> giveBack(p.node(), p.amount()));
          return false;
        }
        int pods = Math.min(left, podsThatFit(node, pod));
        long[] amount = new long[width];
        add(amount, pod, pods);
        take(node, amount);
        placed.add(new Placed(node, amount, pods));
        left -= pods;
      }
    }
    placements.put(key, placed);
    return true;
  }

  /** A bound: whether the free room in all, with {@code freed} more, covers the gang's total (it may still not fit pod by pod). */
  boolean mightFitWith(List<PodSet> all, ResourceList freed) {
    long[] gang = new long[width];
    for (PodSet set : all) {
      add(gang, vector(set.perPod()), set.count());
    }
    long[] more = vector(freed);
    for (int r = 0; r < width; r++) {
      if (gang[r] > total[r] + more[r]) {
        return false;
      }
    }
    return true;
  }

  /** Frees what the workload holds. */
  void release(String key) {
    List<Placed> placed = placements.remove(key);
    if (placed != null) {
      placed.forEach(p -> giveBack(p.node(), p.amount()));
    }
  }

  /** Frees what the workload holds for a trial; {@link #restore} puts it back where it was. */
  void park(String key) {
    List<Placed> placed = placements.get(key);
    if (placed != null) {
      release(key);
      released.put(key, placed);
    }
  }

  /** Undoes {@link #park}: the workload holds exactly the room it held before. */
  void restore(String key) {
    List<Placed> placed = released.remove(key);
    if (placed != null) {
      placed.forEach(p -> take(p.node(), p.amount()));
      placements.put(key, placed);
    }
  }

  /** Whether the gang would fit with nothing else admitted. */
  boolean fitsEmpty(List<PodSet> all) {
    long[] empty = allocatable.clone();
    for (PodSet set : counted(all)) {
      long[] pod = vector(set.perPod());
      int left = set.count();
      for (int n = 0; n < nodes.size() && left > 0; n++) {
        int pods = Math.min(left, podsThatFit(empty, n, pod));
        for (int r = 0; r < width; r++) {
          empty[n * width + r] -= pod[r] * pods;
        }
        left -= pods;
      }
      if (left > 0 && !(isZero(pod) && !nodes.isEmpty())) {
        return false;
      }
    }
    return true;
  }

  /** What is short for the gang: a resource the gang needs more of than is free in all, else the pod too big for any node. */
  Shortfall shortfall(List<PodSet> all, Shortfall.Kind kind, boolean empty) {
    List<PodSet> podSets = counted(all);
    ResourceList totalView;
    ResourceList mostView;
    if (empty) {
      totalView = nodes.stream().map(Capacity.Node::allocatable).reduce(ResourceList.EMPTY, ResourceList::plus).only(counted);
      long[] m = new long[width];
      Arrays.fill(m, nodes.isEmpty() ? 0 : Long.MIN_VALUE);
      for (Capacity.Node node : nodes) {
        long[] v = vector(node.allocatable());
        for (int r = 0; r < width; r++) {
          m[r] = Math.max(m[r], v[r]);
        }
      }
      mostView = list(m, 0);
    } else {
      totalView = list(total, 0);
      mostView = nodes.isEmpty() ? ResourceList.EMPTY : list(most, width);
    }
    ResourceList demand = podSets.stream().map(PodSet::total).reduce(ResourceList.EMPTY, ResourceList::plus);
    for (String r : demand.names()) {
      if (demand.get(r) > totalView.get(r)) {
        return new Shortfall(kind, r, demand.get(r), totalView.get(r));
      }
    }
    for (PodSet set : podSets) {
      for (String r : set.perPod().names()) {
        long mostOfIt = Math.max(0, mostView.get(r));
        if (set.perPod().get(r) > mostOfIt) {
          return new Shortfall(kind, r, set.perPod().get(r), mostOfIt);
        }
      }
    }
    String r = demand.names().stream().findFirst().orElse("pods");
    return new Shortfall(kind, r, demand.get(r), totalView.get(r));
  }

  /** The pod sets with only the resources this capacity counts. */
  private List<PodSet> counted(List<PodSet> podSets) {
    for (PodSet p : podSets) {
      if (!counted.containsAll(p.perPod().names())) {
        return podSets.stream().map(s -> new PodSet(s.name(), s.count(), s.perPod().only(counted))).toList();
      }
    }
    return podSets;
  }

  /** The leftmost node under tree node {@code t} with room for the pod, or -1. */
  private int firstWithRoom(long[] pod, int t) {
    if (!covers(most, t * width, pod)) {
      return -1;
    }
    if (t >= leaves) {
      return t - leaves;
    }
    int left = firstWithRoom(pod, 2 * t);
    return left >= 0 ? left : firstWithRoom(pod, 2 * t + 1);
  }

  private int podsThatFit(int node, long[] pod) {
    return podsThatFit(free, node, pod);
  }

  private int podsThatFit(long[] view, int node, long[] pod) {
    long fit = Integer.MAX_VALUE;
    for (int r = 0; r < width; r++) {
      if (pod[r] > 0) {
        fit = Math.min(fit, Math.max(0, view[node * width + r]) / pod[r]);
      }
    }
    return (int) fit;
  }

  private void take(int node, long[] amount) {
    change(node, amount, -1);
  }

  private void giveBack(int node, long[] amount) {
    change(node, amount, 1);
  }

  /** Changes a node's free amounts; the totals count only what is free (a node charged beyond its size adds nothing). */
  private void change(int node, long[] amount, int sign) {
    for (int r = 0; r < width; r++) {
      int at = node * width + r;
      long before = free[at];
      free[at] = Math.addExact(before, sign * amount[r]);
      total[r] += Math.max(0, free[at]) - Math.max(0, before);
    }
    update(node);
  }

  private void update(int node) {
    System.arraycopy(free, node * width, most, (leaves + node) * width, width);
    for (int t = (leaves + node) / 2; t >= 1; t /= 2) {
      pull(t);
    }
  }

  private void pull(int t) {
    for (int r = 0; r < width; r++) {
      most[t * width + r] = Math.max(most[2 * t * width + r], most[(2 * t + 1) * width + r]);
    }
  }

  private boolean covers(long[] view, int at, long[] pod) {
    for (int r = 0; r < width; r++) {
      if (pod[r] > 0 && pod[r] > view[at + r]) {
        return false;
      }
    }
    return true;
  }

  private long[] vector(ResourceList amounts) {
    long[] v = new long[width];
    for (int r = 0; r < width; r++) {
      v[r] = amounts.get(resources[r]);
    }
    return v;
  }

  private ResourceList list(long[] v, int at) {
    Map<String, Long> m = new HashMap<>();
    for (int r = 0; r < width; r++) {
      m.put(resources[r], v[at + r]);
    }
    return ResourceList.of(m);
  }

  private static void add(long[] into, long[] pod, int count) {
    for (int r = 0; r < into.length; r++) {
      into[r] = Math.addExact(into[r], Math.multiplyExact(pod[r], (long) count));
    }
  }

  private static boolean isZero(long[] pod) {
    for (long a : pod) {
      if (a > 0) {
        return false;
      }
    }
    return true;
  }
}
