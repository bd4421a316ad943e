package dev.capstan.local.host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The host's NVIDIA GPUs (from nvidia-smi when present) and which of them are free. */
public final class GpuInventory {
  private final List<Integer> indices;

  public GpuInventory(List<Integer> indices) {
    this.indices = List.copyOf(indices);
  }

  /** Asks nvidia-smi; a host without it (or without GPUs) has none. */
  public static GpuInventory detect() {
    try {
      Process p = new ProcessBuilder("nvidia-smi", "--query-gpu=index", "--format=csv,noheader").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return new GpuInventory(List.of());
      }
      List<Integer> found = new ArrayList<>();
      for (String line : out.split("\n")) {
        if (!line.isBlank()) {
          found.add(Integer.parseInt(line.trim()));
        }
      }
      return new GpuInventory(found);
    } catch (IOException | NumberFormatException e) {
      return new GpuInventory(List.of());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new GpuInventory(List.of());
    }
  }

  public boolean present() {
    return !indices.isEmpty();
  }

  public int count() {
    return indices.size();
  }

  /** Picks {@code wanted} GPUs not in {@code inUse}; fewer if not enough are free. */
  public List<Integer> assign(int wanted, List<Integer> inUse) {
    List<Integer> chosen = new ArrayList<>();
    for (Integer i : indices) {
      if (chosen.size() >= wanted) {
        break;
      }
      if (!inUse.contains(i)) {
        chosen.add(i);
      }
    }
    return chosen;
  }
}
