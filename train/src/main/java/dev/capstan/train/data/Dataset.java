package dev.capstan.train.data;

import java.util.Arrays;

/**
 * Labelled samples in memory: {@code features} holds {@code size()} rows of
 * {@code featureCount()} floats each, row-major; {@code sampleShape} is the shape of one row (for
 * example {@code [1, 8, 8]} for an 8×8 grey image); labels are class indices in {@code [0, classes)}.
 */
public record Dataset(float[] features, int[] labels, int[] sampleShape, int classes) {

  public Dataset {
    int per = Arrays.stream(sampleShape).reduce(1, (a, b) -> a * b);
    if (per <= 0 || features.length != (long) labels.length * per) {
      throw new IllegalArgumentException("features hold " + features.length + " values, expected "
          + labels.length + " samples × " + per);
    }
    for (int label : labels) {
      if (label < 0 || label >= classes) {
        throw new IllegalArgumentException("label " + label + " is outside [0, " + classes + ")");
      }
    }
  }

  public int size() {
    return labels.length;
  }

  public int featureCount() {
    return Arrays.stream(sampleShape).reduce(1, (a, b) -> a * b);
  }

  /** The samples at {@code indices}, in that order. */
  public Dataset select(int[] indices) {
    int per = Arrays.stream(sampleShape).reduce(1, (a, b) -> a * b);
    float[] x = new float[indices.length * per];
    int[] y = new int[indices.length];
    for (int i = 0; i < indices.length; i++) {
      System.arraycopy(features, indices[i] * per, x, i * per, per);
      y[i] = labels[indices[i]];
    }
    return new Dataset(x, y, sampleShape, classes);
  }

  /** The same samples seen with another shape of the same size, e.g. {@code [64]} as {@code [1, 8, 8]}. */
  public Dataset reshape(int[] shape) {
    return new Dataset(features, labels, shape, classes);
  }

  /** Classes from the largest label when they are not stated. */
  static int classesOf(int[] labels) {
    return Arrays.stream(labels).max().orElse(0) + 1;
  }
}
