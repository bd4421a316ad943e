package dev.capstan.core.registry;

import java.util.Collection;
import java.util.Optional;

/**
 * The formats Capstan's model server opens, told from a version's file names the way the server
 * tells them: an ONNX file, a TorchScript file, or the directory {@code capstan train} writes
 * (model.yaml beside model.safetensors).
 */
public enum ModelFormat {
  ONNX("onnx"),
  PYTORCH("pytorch"),
  CAPSTAN_DJL("capstan-djl");

  private final String wireName;

  ModelFormat(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** The format of the files at the top of a version, or empty when none or more than one is recognised. */
  public static Optional<ModelFormat> detect(Collection<String> paths) {
    boolean yaml = paths.contains("model.yaml");
    boolean safetensors = paths.stream().anyMatch(p -> !p.contains("/") && p.endsWith(".safetensors"));
    if (yaml && safetensors) {
      return Optional.of(CAPSTAN_DJL);
    }
    boolean onnx = paths.stream().anyMatch(p -> !p.contains("/") && p.endsWith(".onnx"));
    boolean torch = paths.stream().anyMatch(p -> !p.contains("/") && (p.endsWith(".pt") || p.endsWith(".torchscript")));
    if (onnx == torch) {
      return Optional.empty();
    }
    return Optional.of(onnx ? ONNX : PYTORCH);
  }
}
