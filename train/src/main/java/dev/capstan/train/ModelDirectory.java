package dev.capstan.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.capstan.train.model.Architecture;
import dev.capstan.train.model.Layer;
import dev.capstan.train.model.Network;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a trained model as a directory capstan-serve loads ({@code format: capstan-djl}, see
 * train/README.md): {@code model.yaml} (architecture, signature, metrics) and
 * {@code model.safetensors} (parameters, float32 little-endian, named {@code layers.<i>.<name>}).
 */
public final class ModelDirectory {
  public static final String FORMAT = "capstan-djl";
  public static final String DESCRIPTOR = "model.yaml";
  public static final String PARAMETERS = "model.safetensors";

  private ModelDirectory() {}

  public static void write(Path dir, Network network, float[] params, Map<String, Object> metrics,
      Map<String, Object> training) throws IOException {
    Path parent = dir.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path staging = Files.createTempDirectory(parent, "." + dir.getFileName() + ".");
    Files.write(staging.resolve(PARAMETERS), safetensors(network, params));
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
    Files.write(staging.resolve(DESCRIPTOR), yaml.writeValueAsBytes(descriptor(network, metrics, training)));
    if (Files.exists(dir)) {
      try (var files = Files.list(dir)) {
        for (Path file : files.toList()) {
          Files.deleteIfExists(file);
        }
      }
      Files.delete(dir);
    }
    Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
  }

  static Map<String, Object> descriptor(Network network, Map<String, Object> metrics, Map<String, Object> training) {
    Architecture architecture = network.architecture();
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("format", FORMAT);
    root.put("formatVersion", 1);
    root.put("engine", "PyTorch");
    root.put("task", "classification");
    List<Integer> input = new ArrayList<>();
    input.add(-1);
    for (int d : architecture.inputShape()) {
      input.add(d);
    }
    root.put("inputs", List.of(Map.of("name", "input", "datatype", "FP32", "shape", input)));
    root.put("outputs", List.of(Map.of("name", "logits", "datatype", "FP32", "shape", List.of(-1, architecture.classes()))));
    Map<String, Object> arch = new LinkedHashMap<>();
    arch.put("name", architecture.name());
    arch.put("classes", architecture.classes());
    List<Map<String, Object>> layers = new ArrayList<>();
    for (Layer layer : architecture.layers()) {
      layers.add(layer.describe());
    }
    arch.put("layers", layers);
    root.put("architecture", arch);
    root.put("parameters", Map.of("file", PARAMETERS, "dtype", "F32", "count", network.parameterCount()));
    root.put("metrics", metrics);
    root.put("training", training);
    return root;
  }

  /** The safetensors encoding: 8-byte little-endian header length, JSON header, raw tensor bytes. */
  static byte[] safetensors(Network network, float[] params) throws IOException {
    Map<String, Object> header = new LinkedHashMap<>();
    for (Network.Tensor tensor : network.tensors()) {
      long begin = (long) tensor.offset() * Float.BYTES;
      long end = begin + (long) tensor.size() * Float.BYTES;
      header.put(tensor.name(), Map.of("dtype", "F32", "shape", tensor.shape(), "data_offsets", List.of(begin, end)));
    }
    byte[] json = new ObjectMapper().writeValueAsBytes(header);
    int padded = (json.length + 7) / 8 * 8;
    ByteBuffer out = ByteBuffer.allocate(8 + padded + params.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(padded);
    out.put(json);
    for (int i = json.length; i < padded; i++) {
      out.put((byte) ' ');
    }
    out.asFloatBuffer().put(params);
    return out.array();
  }

  /**
   * Loads a model directory written by {@link #write} as a ready {@link Network}; call
   * {@link Network#logits} to predict. The caller closes the network.
   */
  public static Network load(Path dir) throws IOException {
    Map<?, ?> descriptor = new ObjectMapper(new YAMLFactory()).readValue(dir.resolve(DESCRIPTOR).toFile(), Map.class);
    if (!FORMAT.equals(descriptor.get("format"))) {
      throw new IOException(dir + ": format is '" + descriptor.get("format") + "', expected " + FORMAT);
    }
    Map<?, ?> input = (Map<?, ?>) ((List<?>) descriptor.get("inputs")).getFirst();
    List<?> shape = (List<?>) input.get("shape");
    int[] sample = shape.stream().skip(1).mapToInt(v -> ((Number) v).intValue()).toArray();
    Architecture architecture = Architecture.fromDescriptor((Map<?, ?>) descriptor.get("architecture"), sample);
    float[] params = readParameters(dir);
    Network network = Network.create(architecture, 0);
    if (params.length != network.parameterCount()) {
      network.close();
      throw new IOException(dir + ": " + params.length + " parameters stored, the architecture has "
          + network.parameterCount());
    }
    network.setParameters(params);
    return network;
  }

  /** Reads the parameters of a model directory back as one flat vector, in file order. */
  public static float[] readParameters(Path dir) throws IOException {
    ByteBuffer all = ByteBuffer.wrap(Files.readAllBytes(dir.resolve(PARAMETERS))).order(ByteOrder.LITTLE_ENDIAN);
    long headerLength = all.getLong();
    int start = Math.toIntExact(8 + headerLength);
    float[] params = new float[(all.capacity() - start) / Float.BYTES];
    all.position(start).slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(params);
    return params;
  }
}
