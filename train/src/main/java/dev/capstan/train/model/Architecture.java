package dev.capstan.train.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A classifier as a list of layers, from an input of {@code inputShape} (one sample) to
 * {@code classes} logits.
 */
public record Architecture(String name, int[] inputShape, int classes, List<Layer> layers) {

  /** A multi-layer perceptron: flatten, then linear + ReLU per hidden width, then linear to the classes. */
  public static Architecture mlp(int[] inputShape, int classes, int[] hidden, float inputScale) {
    List<Layer> layers = new ArrayList<>();
    if (inputScale != 1f) {
      layers.add(new Layer.Scale(inputScale));
    }
    layers.add(new Layer.Flatten());
    int in = Arrays.stream(inputShape).reduce(1, (a, b) -> a * b);
    for (int width : hidden) {
      layers.add(new Layer.Linear(in, width));
      layers.add(new Layer.Relu());
      in = width;
    }
    layers.add(new Layer.Linear(in, classes));
    return new Architecture("mlp", inputShape, classes, List.copyOf(layers));
  }

  /**
   * A small CNN for {@code [C, H, W]} inputs: per entry of {@code channels} a 3×3 convolution + ReLU,
   * then 2×2 max pooling, flatten, linear + ReLU of width {@code hidden}, linear to the classes.
   */
  public static Architecture cnn(int[] inputShape, int classes, int[] channels, int hidden, float inputScale) {
    int[] chw = inputShape.length == 3 ? inputShape : squareImage(inputShape);
    List<Layer> layers = new ArrayList<>();
    if (inputScale != 1f) {
      layers.add(new Layer.Scale(inputScale));
    }
    if (!Arrays.equals(chw, inputShape)) {
      layers.add(new Layer.Reshape(List.of(chw[0], chw[1], chw[2])));
    }
    int in = chw[0];
    for (int width : channels) {
      layers.add(new Layer.Conv2d(in, width, 3, 1));
      layers.add(new Layer.Relu());
      in = width;
    }
    layers.add(new Layer.MaxPool2d(2));
    layers.add(new Layer.Flatten());
    layers.add(new Layer.Linear(in * (chw[1] / 2) * (chw[2] / 2), hidden));
    layers.add(new Layer.Relu());
    layers.add(new Layer.Linear(hidden, classes));
    return new Architecture("cnn", inputShape, classes, List.copyOf(layers));
  }

  private static int[] squareImage(int[] shape) {
    int size = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    int side = (int) Math.round(Math.sqrt(size));
    if (side * side != size) {
      throw new IllegalArgumentException("cnn needs [C, H, W] samples or a square number of features, got "
          + Arrays.toString(shape));
    }
    return new int[] {1, side, side};
  }

  /**
   * Rebuilds an architecture from the {@code architecture} section of a {@code model.yaml} and the
   * shape of its input (without the batch dimension).
   */
  public static Architecture fromDescriptor(Map<?, ?> section, int[] inputShape) {
    List<Layer> layers = new ArrayList<>();
    for (Object entry : (List<?>) section.get("layers")) {
      Map<?, ?> layer = (Map<?, ?>) entry;
      String type = String.valueOf(layer.get("type"));
      layers.add(switch (type) {
        case "scale" -> new Layer.Scale(((Number) layer.get("factor")).floatValue());
        case "reshape" -> new Layer.Reshape(((List<?>) layer.get("shape")).stream()
            .map(v -> ((Number) v).intValue()).toList());
        case "flatten" -> new Layer.Flatten();
        case "relu" -> new Layer.Relu();
        case "linear" -> new Layer.Linear(integer(layer, "in"), integer(layer, "out"));
        case "conv2d" -> new Layer.Conv2d(integer(layer, "in"), integer(layer, "out"), integer(layer, "kernel"),
            integer(layer, "padding"));
        case "maxpool2d" -> new Layer.MaxPool2d(integer(layer, "kernel"));
        default -> throw new IllegalArgumentException("unknown layer type '" + type + "'");
      });
    }
    return new Architecture(String.valueOf(section.get("name")), inputShape, integer(section, "classes"),
        List.copyOf(layers));
  }

  private static int integer(Map<?, ?> map, String key) {
    Object value = map.get(key);
    if (!(value instanceof Number number)) {
      throw new IllegalArgumentException("layer field '" + key + "' is missing or not a number in " + map);
    }
    return number.intValue();
  }

  public int inputSize() {
    return Arrays.stream(inputShape).reduce(1, (a, b) -> a * b);
  }
}
