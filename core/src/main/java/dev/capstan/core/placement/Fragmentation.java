package dev.capstan.core.placement;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The FGD paper's fragmentation measure: the milli-GPU on a node that a task drawn from the target
 * workload could not use, in expectation over its task sizes. For each size, a node that cannot
 * host the task (too little CPU, too few GPUs with enough milli-GPU, a GPU model it does not
 * accept) leaves all of its idle GPU as fragment; a node that can leaves only its GPUs with less
 * milli-GPU left than the task asks. A task without GPUs cannot use any GPU, so for it all idle
 * GPU is fragment.
 *
 * <p>Values are remembered per node state (CPU left, GPU model, GPUs left as a multiset) since many
 * nodes share one; an instance is therefore not safe for concurrent use.
 */
public final class Fragmentation {
  private static final int MEMO_LIMIT = 2_000_000;
  private static final int MAX_MEMO_GPUS = 8;
  private static final long MAX_MEMO_CPU = (1L << 28) - 1;

  private final List<TargetWorkload.Shape> shapes;
  private final Map<String, Integer> modelIds = new HashMap<>();
  private final Map<StateKey, Double> memo = new HashMap<>();
  private final int[] scratch = new int[PodRequest.MAX_GPUS];

  private record StateKey(long high, long low) {}

  public Fragmentation(TargetWorkload target) {
    this.shapes = target.shapes();
  }

  /** Expected fragment of the node, in milli-GPU. */
  public double of(NodeState node) {
    StateKey key = keyOf(node);
    if (key == null) {
      return compute(node);
    }
    Double known = memo.get(key);
    if (known != null) {
      return known;
    }
    double value = compute(node);
    if (memo.size() >= MEMO_LIMIT) {
      memo.clear();
    }
    memo.put(key, value);
    return value;
  }

  /** The fragment of the cluster, in milli-GPU: the sum over its nodes. */
  public double ofCluster(List<NodeState> nodes) {
    double sum = 0;
    for (NodeState n : nodes) {
      sum += of(n);
    }
    return sum;
  }

  private double compute(NodeState node) {
    long idle = node.totalGpuLeft();
    if (idle == 0) {
      return 0;
    }
    double fragment = 0;
    for (TargetWorkload.Shape shape : shapes) {
      fragment += shape.share() * unusable(node, shape.size(), idle);
    }
    return fragment;
  }

  /** The node's idle milli-GPU that a task of this size could not use. */
  static long unusable(NodeState node, PodRequest task, long idle) {
    if (!task.wantsGpu() || !task.accepts(node.gpuModel())) {
      return idle;
    }
    int fitting = 0;
    long tooSmall = 0;
    for (int d = 0; d < node.gpuCount(); d++) {
      int left = node.gpuLeft(d);
      if (left >= task.gpuMilli()) {
        fitting++;
      } else {
        tooSmall += left;
      }
    }
    boolean hosts = fitting >= task.gpuCount() && node.cpuLeft() >= task.cpuMilli();
    return hosts ? tooSmall : idle;
  }

  private StateKey keyOf(NodeState node) {
    int gpus = node.gpuCount();
    if (gpus > MAX_MEMO_GPUS || node.cpuLeft() > MAX_MEMO_CPU) {
      return null;
    }
    Integer model = modelIds.computeIfAbsent(node.gpuModel(), m -> modelIds.size());
    if (model > 255) {
      return null;
    }
    node.copyGpuLeft(scratch);
    java.util.Arrays.sort(scratch, 0, gpus);
    long low = 0;
    long high = 0;
    for (int i = 0; i < gpus; i++) {
      if (i < 6) {
        low |= (long) scratch[i] << (10 * i);
      } else {
        high |= (long) scratch[i] << (10 * (i - 6));
      }
    }
    high |= (long) gpus << 20 | (long) model << 24 | node.cpuLeft() << 32;
    return new StateKey(high, low);
  }
}
