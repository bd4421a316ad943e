package dev.capstan.train.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One step of a feed-forward classifier, as written in a model directory's {@code model.yaml}.
 * Weight layouts follow PyTorch: linear {@code [out, in]}, conv2d {@code [out, in, kh, kw]}.
 */
public sealed interface Layer {
  String type();

  /** The descriptor entry of this layer, without parameters. */
  Map<String, Object> describe();

  /** Multiplies the input by a constant (e.g. 1/16 to bring 0..16 pixels to 0..1). */
  record Scale(float factor) implements Layer {
    public String type() {
      return "scale";
    }

    public Map<String, Object> describe() {
      return entry("scale", "factor", factor);
    }
  }

  /** Reshapes each sample to {@code shape} (without the batch dimension). */
  record Reshape(List<Integer> shape) implements Layer {
    public String type() {
      return "reshape";
    }

    public Map<String, Object> describe() {
      return entry("reshape", "shape", shape);
    }
  }

  /** Flattens each sample to one dimension. */
  record Flatten() implements Layer {
    public String type() {
      return "flatten";
    }

    public Map<String, Object> describe() {
      return entry("flatten", null, null);
    }
  }

  /** {@code y = x·Wᵀ + b}. */
  record Linear(int in, int out) implements Layer {
    public String type() {
      return "linear";
    }

    public Map<String, Object> describe() {
      Map<String, Object> map = entry("linear", "in", in);
      map.put("out", out);
      return map;
    }
  }

  /** 2-D convolution, stride 1, square kernel, zero padding on each side. */
  record Conv2d(int in, int out, int kernel, int padding) implements Layer {
    public String type() {
      return "conv2d";
    }

    public Map<String, Object> describe() {
      Map<String, Object> map = entry("conv2d", "in", in);
      map.put("out", out);
      map.put("kernel", kernel);
      map.put("stride", 1);
      map.put("padding", padding);
      return map;
    }
  }

  /** Max pooling with a square window equal to its stride. */
  record MaxPool2d(int size) implements Layer {
    public String type() {
      return "maxpool2d";
    }

    public Map<String, Object> describe() {
      Map<String, Object> map = entry("maxpool2d", "kernel", size);
      map.put("stride", size);
      return map;
    }
  }

  /** {@code max(x, 0)}. */
  record Relu() implements Layer {
    public String type() {
      return "relu";
    }

    public Map<String, Object> describe() {
      return entry("relu", null, null);
    }
  }

  private static Map<String, Object> entry(String type, String key, Object value) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("type", type);
    if (key != null) {
      map.put(key, value);
    }
    return map;
  }
}
