package dev.capstan.local.host;

import dev.capstan.core.queue.ResourceAmounts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What this machine can hold: its CPUs, memory and GPUs. {@code CAPSTAN_CPUS} and
 * {@code CAPSTAN_MEMORY} (a Kubernetes quantity) override what is detected.
 */
public final class HostCapacity {
  private HostCapacity() {}

  public static ResourceAmounts detect(GpuInventory gpus) {
    long cpuMillis = Runtime.getRuntime().availableProcessors() * 1000L;
    long memory = memTotal();
    String cpus = System.getenv("CAPSTAN_CPUS");
    if (cpus != null && !cpus.isBlank()) {
      cpuMillis = Math.round(Double.parseDouble(cpus) * 1000);
    }
    String mem = System.getenv("CAPSTAN_MEMORY");
    if (mem != null && !mem.isBlank()) {
      memory = io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(new io.fabric8.kubernetes.api.model.Quantity(mem)).longValue();
    }
    return new ResourceAmounts(cpuMillis, memory, gpus.count());
  }

  private static long memTotal() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // fall through to the JVM's view
    }
    return Runtime.getRuntime().maxMemory();
  }
}
