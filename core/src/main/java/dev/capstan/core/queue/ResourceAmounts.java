package dev.capstan.core.queue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Amounts of the resources admission counts: CPU (millicores), memory (bytes) and GPUs. */
public record ResourceAmounts(long cpuMillis, long memoryBytes, long gpus) {
  public static final String GPU = "nvidia.com/gpu";
  public static final ResourceAmounts ZERO = new ResourceAmounts(0, 0, 0);

  /**
   * Sums are checked: an amount past {@code Long.MAX_VALUE} throws {@link ArithmeticException}
   * rather than wrapping negative and fitting anywhere. Validation bounds every job's total
   * (api {@code TrainingJobLimits}) well below it, so this fires only on a bug.
   */
  public ResourceAmounts plus(ResourceAmounts o) {
    return new ResourceAmounts(Math.addExact(cpuMillis, o.cpuMillis), Math.addExact(memoryBytes, o.memoryBytes),
        Math.addExact(gpus, o.gpus));
  }

  public ResourceAmounts minus(ResourceAmounts o) {
    return new ResourceAmounts(Math.subtractExact(cpuMillis, o.cpuMillis), Math.subtractExact(memoryBytes, o.memoryBytes),
        Math.subtractExact(gpus, o.gpus));
  }

  public ResourceAmounts times(int n) {
    return new ResourceAmounts(Math.multiplyExact(cpuMillis, n), Math.multiplyExact(memoryBytes, n), Math.multiplyExact(gpus, n));
  }

  public boolean fitsIn(ResourceAmounts o) {
    return cpuMillis <= o.cpuMillis && memoryBytes <= o.memoryBytes && gpus <= o.gpus;
  }

  /** Names the resources where this exceeds {@code available}, e.g. "cpu 4 > 2". */
  public List<String> shortfalls(ResourceAmounts available) {
    List<String> out = new ArrayList<>();
    if (cpuMillis > available.cpuMillis) {
      out.add("cpu " + cpu(cpuMillis) + " > " + cpu(Math.max(0, available.cpuMillis)));
    }
    if (memoryBytes > available.memoryBytes) {
      out.add("memory " + mem(memoryBytes) + " > " + mem(Math.max(0, available.memoryBytes)));
    }
    if (gpus > available.gpus) {
      out.add(GPU + " " + gpus + " > " + Math.max(0, available.gpus));
    }
    return out;
  }

  /** What a pod template asks for: requests, or limits where no request is given, over all containers. */
  public static ResourceAmounts of(PodTemplateSpec template) {
    ResourceAmounts total = ZERO;
    if (template == null || template.getSpec() == null || template.getSpec().getContainers() == null) {
      return total;
    }
    for (Container c : template.getSpec().getContainers()) {
      if (c.getResources() == null) {
        continue;
      }
      Map<String, Quantity> requests = c.getResources().getRequests() == null ? Map.of() : c.getResources().getRequests();
      Map<String, Quantity> limits = c.getResources().getLimits() == null ? Map.of() : c.getResources().getLimits();
      total = total.plus(new ResourceAmounts(
          millis(pick(requests, limits, "cpu")), bytes(pick(requests, limits, "memory")), bytes(pick(requests, limits, GPU))));
    }
    return total;
  }

  private static Quantity pick(Map<String, Quantity> requests, Map<String, Quantity> limits, String name) {
    return requests.containsKey(name) ? requests.get(name) : limits.get(name);
  }

  private static long millis(Quantity q) {
    return q == null ? 0 : Quantity.getAmountInBytes(q).multiply(BigDecimal.valueOf(1000)).setScale(0, java.math.RoundingMode.CEILING).longValueExact();
  }

  private static long bytes(Quantity q) {
    return q == null ? 0 : Quantity.getAmountInBytes(q).setScale(0, java.math.RoundingMode.CEILING).longValueExact();
  }

  private static String cpu(long millis) {
    return millis % 1000 == 0 ? Long.toString(millis / 1000) : millis + "m";
  }

  private static String mem(long bytes) {
    long mi = 1024 * 1024;
    return bytes % (1024 * mi) == 0 ? bytes / (1024 * mi) + "Gi" : bytes % mi == 0 ? bytes / mi + "Mi" : Long.toString(bytes);
  }
}
