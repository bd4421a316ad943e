package dev.capstan.core.placement;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * What is left on one node: CPU, memory, the milli-GPU left on each GPU (by device index), and how
 * many pods of each GPU kind ({@link PodRequest#gpuKind()}) it holds. Immutable: placing a pod
 * returns a new state.
 */
public final class NodeState {
  private final GpuNode node;
  private final long cpuLeft;
  private final long memoryLeft;
  private final int[] gpuLeft;
  private final Map<String, Integer> gpuKinds;

  private NodeState(GpuNode node, long cpuLeft, long memoryLeft, int[] gpuLeft, Map<String, Integer> gpuKinds) {
    this.node = node;
    this.cpuLeft = cpuLeft;
    this.memoryLeft = memoryLeft;
    this.gpuLeft = gpuLeft;
    this.gpuKinds = gpuKinds;
  }

  /** A node nothing runs on. */
  public static NodeState idle(GpuNode node) {
    int[] gpus = new int[node.gpuCount()];
    Arrays.fill(gpus, PodRequest.MILLI);
    return new NodeState(node, node.cpuMilli(), node.memoryMib(), gpus, Map.of());
  }

  /** A node in a given state, for tests and snapshots: {@code gpuLeft} milli-GPU left per device. */
  public static NodeState of(GpuNode node, long cpuLeft, long memoryLeft, int... gpuLeft) {
    if (gpuLeft.length != node.gpuCount()) {
      throw new IllegalArgumentException("node " + node.name() + " has " + node.gpuCount() + " GPUs, not " + gpuLeft.length);
    }
    for (int left : gpuLeft) {
      if (left < 0 || left > PodRequest.MILLI) {
        throw new IllegalArgumentException("milli-GPU left must be 0.." + PodRequest.MILLI + ", not " + left);
      }
    }
    if (cpuLeft < 0 || cpuLeft > node.cpuMilli() || memoryLeft < 0 || memoryLeft > node.memoryMib()) {
      throw new IllegalArgumentException("node " + node.name() + ": cpu and memory left must be within its capacity");
    }
    return new NodeState(node, cpuLeft, memoryLeft, gpuLeft.clone(), Map.of());
  }

  /** This state with {@code count} more pods of a GPU kind on it (GPU clustering reads the kinds). */
  public NodeState withPodsOfKind(String kind, int count) {
    Map<String, Integer> kinds = new HashMap<>(gpuKinds);
    kinds.merge(kind, count, Integer::sum);
    return new NodeState(node, cpuLeft, memoryLeft, gpuLeft, Map.copyOf(kinds));
  }

  public GpuNode node() {
    return node;
  }

  public long cpuLeft() {
    return cpuLeft;
  }

  public long memoryLeft() {
    return memoryLeft;
  }

  public int gpuCount() {
    return gpuLeft.length;
  }

  public int gpuLeft(int device) {
    return gpuLeft[device];
  }

  public String gpuModel() {
    return node.gpuModel();
  }

  /** Pods placed here by GPU kind; pods without GPUs are not counted. */
  public Map<String, Integer> gpuKinds() {
    return gpuKinds;
  }

  public long totalGpuLeft() {
    long total = 0;
    for (int left : gpuLeft) {
      total += left;
    }
    return total;
  }

  public long usedGpuMilli() {
    return (long) gpuLeft.length * PodRequest.MILLI - totalGpuLeft();
  }

  public int fullyFreeGpus() {
    return gpusWithAtLeast(PodRequest.MILLI);
  }

  public int gpusWithAtLeast(int milli) {
    int n = 0;
    for (int left : gpuLeft) {
      if (left >= milli) {
        n++;
      }
    }
    return n;
  }

  /** Whether the pod fits: CPU, memory, an accepted GPU model, and enough GPUs with its milli-GPU left. */
  public boolean fits(PodRequest pod) {
    if (pod.cpuMilli() > cpuLeft || pod.memoryMib() > memoryLeft) {
      return false;
    }
    if (!pod.wantsGpu()) {
      return true;
    }
    return gpuLeft.length > 0 && pod.accepts(node.gpuModel()) && gpusWithAtLeast(pod.gpuMilli()) >= pod.gpuCount();
  }

  /** The state after the pod takes its milli-GPU on each of {@code devices}. */
  public NodeState place(PodRequest pod, int[] devices) {
    if (!fits(pod) || devices.length != pod.gpuCount()) {
      throw new IllegalArgumentException("pod does not fit node " + node.name() + " on devices " + Arrays.toString(devices));
    }
    int[] gpus = gpuLeft.clone();
    for (int d : devices) {
      if (gpus[d] < pod.gpuMilli()) {
        throw new IllegalArgumentException("device " + d + " of node " + node.name() + " has " + gpus[d] + " milli-GPU left");
      }
      gpus[d] -= pod.gpuMilli();
    }
    Map<String, Integer> kinds = gpuKinds;
    if (pod.wantsGpu()) {
      Map<String, Integer> more = new HashMap<>(gpuKinds);
      more.merge(pod.gpuKind(), 1, Integer::sum);
      kinds = Map.copyOf(more);
    }
    return new NodeState(node, cpuLeft - pod.cpuMilli(), memoryLeft - pod.memoryMib(), gpus, kinds);
  }

  /** The lowest-numbered fully free GPUs, {@code count} of them (fewer if there are not enough). */
  public int[] firstFreeGpus(int count) {
    int[] out = new int[count];
    int n = 0;
    for (int d = 0; d < gpuLeft.length && n < count; d++) {
      if (gpuLeft[d] == PodRequest.MILLI) {
        out[n++] = d;
      }
    }
    return n == count ? out : Arrays.copyOf(out, n);
  }

  /** Copies the milli-GPU left per device into {@code into}, which must be long enough. */
  public void copyGpuLeft(int[] into) {
    System.arraycopy(gpuLeft, 0, into, 0, gpuLeft.length);
  }

  @Override
  public String toString() {
    return node.name() + "<cpu " + cpuLeft + "/" + node.cpuMilli() + ", mem " + memoryLeft + "/" + node.memoryMib()
        + ", gpu " + node.gpuModel() + " " + Arrays.toString(gpuLeft) + ">";
  }
}
