package dev.capstan.core.placement;

import java.util.Arrays;
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
  private static final int MEMO_LIMIT = 500_000;
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
    node.copyGpuLeft(scratch);
    return valueOf(node.cpuLeft(), node.gpuModel(), node.gpuCount());
  }

  /** Expected fragment of the node once the pod takes its milli-GPU on {@code devices}, in milli-GPU. */
  public double after(NodeState node, PodRequest pod, int[] devices) {
    node.copyGpuLeft(scratch);
    for (int d : devices) {
      scratch[d] -= pod.gpuMilli();
    }
    return valueOf(node.cpuLeft() - pod.cpuMilli(), node.gpuModel(), node.gpuCount());
  }

  /** The fragment of the cluster, in milli-GPU: the sum over its nodes. */
  public double ofCluster(List<NodeState> nodes) {
    double sum = 0;
    for (NodeState n : nodes) {
      sum += of(n);
    }
    return sum;
  }

  /** The value for the GPUs left in {@code scratch[0..gpus)}, which it sorts. */
  private double valueOf(long cpuLeft, String model, int gpus) {
    Arrays.sort(scratch, 0, gpus);
    StateKey key = keyOf(cpuLeft, model, gpus);
    if (key == null) {
      return compute(cpuLeft, model, gpus);
    }
    Double known = memo.get(key);
    if (known != null) {
      return known;
    }
    double value = compute(cpuLeft, model, gpus);
    if (memo.size() >= MEMO_LIMIT) {
      memo.clear();
    }
    memo.put(key, value);
    return value;
  }

  private double compute(long cpuLeft, String model, int gpus) {
    long idle = 0;
    for (int i = 0; i < gpus; i++) {
      idle += scratch[i];
    }
    if (idle == 0) {
      return 0;
    }
    double fragment = 0;
    for (TargetWorkload.Shape shape : shapes) {
      fragment += shape.share() * unusable(cpuLeft, model, gpus, shape.size(), idle);
    }
    return fragment;
  }

  /** The idle milli-GPU that a task of this size could not use. */
  private long unusable(long cpuLeft, String model, int gpus, PodRequest task, long idle) {
    if (!task.wantsGpu() || !task.accepts(model)) {
      return idle;
    }
    int fitting = 0;
    long tooSmall = 0;
    for (int i = 0; i < gpus; i++) {
      int left = scratch[i];
      if (left >= task.gpuMilli()) {
        fitting++;
      } else {
        tooSmall += left;
      }
    }
    boolean hosts = fitting >= task.gpuCount() && cpuLeft >= task.cpuMilli();
    return hosts ? tooSmall : idle;
  }

  private StateKey keyOf(long cpuLeft, String gpuModel, int gpus) {
    if (gpus > MAX_MEMO_GPUS || cpuLeft > MAX_MEMO_CPU) {
      return null;
    }
    Integer model = modelIds.computeIfAbsent(gpuModel, m -> modelIds.size());
    if (model > 255) {
      return null;
    }
    long low = 0;
    long high = 0;
    for (int i = 0; i < gpus; i++) {
      if (i < 6) {
        low |= (long) scratch[i] << (10 * i);
      } else {
        high |= (long) scratch[i] << (10 * (i - 6));
      }
    }
    high |= (long) gpus << 20 | (long) model << 24 | cpuLeft << 32;
    return new StateKey(high, low);
  }
}
