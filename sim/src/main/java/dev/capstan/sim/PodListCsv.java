package dev.capstan.sim;

import dev.capstan.core.placement.PodRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A pod list in the Alibaba GPU trace's format: columns {@code name, cpu_milli, memory_mib, num_gpu,
 * gpu_milli} and optionally {@code gpu_spec} (accepted GPU models, {@code |}-separated, empty or
 * {@code nan} for any); others (qos, phase, times) are ignored. {@code gpu_milli} is the milli-GPU
 * asked of each GPU: 1..1000 with one GPU, 1000 with more, 0 without GPUs.
 */
public final class PodListCsv {
  private PodListCsv() {}

  public static List<TracePod> read(Path file) throws IOException, TraceFormatException {
    CsvTable table = CsvTable.read(file, TraceLimits.MAX_PODS);
    int name = table.column("name");
    int cpu = table.column("cpu_milli");
    int memory = table.column("memory_mib");
    int gpus = table.column("num_gpu");
    int milli = table.column("gpu_milli");
    int spec = table.optionalColumn("gpu_spec");
    List<TracePod> pods = new ArrayList<>();
    for (CsvTable.Row row : table.rows()) {
      String podName = table.name(row, name, "name");
      long cpuMilli = table.number(row, cpu, "cpu_milli", 0, TraceLimits.MAX_CPU_MILLI);
      long memoryMib = table.number(row, memory, "memory_mib", 0, TraceLimits.MAX_MEMORY_MIB);
      int gpuCount = (int) table.number(row, gpus, "num_gpu", 0, PodRequest.MAX_GPUS);
      int gpuMilli = (int) table.number(row, milli, "gpu_milli", 0, PodRequest.MILLI);
      Set<String> models = spec < 0 ? Set.of() : models(table.text(row, spec));
      if (gpuCount == 0) {
        gpuMilli = 0;
        models = Set.of();
      } else if (gpuMilli == 0) {
        throw table.error(row, "num_gpu " + gpuCount + " with gpu_milli 0: a GPU pod asks for 1..1000 milli-GPU");
      } else if (gpuCount > 1 && gpuMilli != PodRequest.MILLI) {
        throw table.error(row, "num_gpu " + gpuCount + " with gpu_milli " + gpuMilli
            + ": a share of a GPU is asked with num_gpu 1");
      }
      pods.add(new TracePod(podName, new PodRequest(cpuMilli, memoryMib, gpuCount, gpuMilli, models)));
    }
    if (pods.isEmpty()) {
      throw new TraceFormatException(file, 0, "lists no pods");
    }
    return pods;
  }

  private static Set<String> models(String spec) {
    if (spec.equalsIgnoreCase("nan")) {
      return Set.of();
    }
    return Arrays.stream(spec.split("\\|")).map(String::strip).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
  }
}
