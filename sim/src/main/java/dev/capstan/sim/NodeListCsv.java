package dev.capstan.sim;

import dev.capstan.core.placement.GpuNode;
import dev.capstan.core.placement.PodRequest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A node list in the Alibaba GPU trace's format: columns {@code sn, cpu_milli, memory_mib, gpu,
 * model} (others ignored). A node with GPUs needs a model.
 */
public final class NodeListCsv {
  private NodeListCsv() {}

  public static List<GpuNode> read(Path file) throws IOException, TraceFormatException {
    CsvTable table = CsvTable.read(file, TraceLimits.MAX_NODES);
    int name = table.column("sn");
    int cpu = table.column("cpu_milli");
    int memory = table.column("memory_mib");
    int gpus = table.column("gpu");
    int model = table.column("model");
    List<GpuNode> nodes = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (CsvTable.Row row : table.rows()) {
      String sn = table.name(row, name, "sn");
      if (!names.add(sn)) {
        throw table.error(row, "node " + sn + " is listed twice");
      }
      int gpuCount = (int) table.number(row, gpus, "gpu", 0, PodRequest.MAX_GPUS);
      String gpuModel = table.text(row, model);
      if (gpuCount > 0 && (gpuModel.isEmpty() || gpuModel.equalsIgnoreCase("nan"))) {
        throw table.error(row, "node " + sn + " has " + gpuCount + " GPUs but no model");
      }
      nodes.add(new GpuNode(sn, table.number(row, cpu, "cpu_milli", 0, TraceLimits.MAX_CPU_MILLI),
          table.number(row, memory, "memory_mib", 0, TraceLimits.MAX_MEMORY_MIB), gpuCount, gpuModel));
    }
    if (nodes.isEmpty()) {
      throw new TraceFormatException(file, 0, "lists no nodes");
    }
    return nodes;
  }
}
