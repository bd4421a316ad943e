package dev.capstan.train.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where training data comes from, written as one string:
 * <ul>
 *   <li>{@code digits}: the 8×8 handwritten digits shipped with Capstan (1,797 samples, 10 classes);
 *   <li>{@code synthetic:SAMPLES:FEATURES:CLASSES}: {@link SyntheticData} from the training seed;
 *   <li>{@code FILE.csv} or {@code FILE.csv.gz}: {@link CsvData};
 *   <li>{@code FEATURES.npy,LABELS.npy}: two NumPy arrays, features {@code [N, ...]} and labels {@code [N]}.
 * </ul>
 */
public final class DataSource {
  public static final String DIGITS = "digits";

  private DataSource() {}

  public static Dataset load(String spec, Path baseDir, long seed) throws IOException {
    if (spec.equals(DIGITS)) {
      try (InputStream in = DataSource.class.getResourceAsStream("digits.csv.gz")) {
        if (in == null) {
          throw new IOException("the digits dataset is missing from the classpath");
        }
        return CsvData.read(in, true, "digits.csv.gz").reshape(new int[] {1, 8, 8});
      }
    }
    if (spec.startsWith("synthetic:")) {
      String[] parts = spec.split(":");
      if (parts.length != 4) {
        throw new IllegalArgumentException("synthetic data is written synthetic:SAMPLES:FEATURES:CLASSES, got " + spec);
      }
      return SyntheticData.generate(Integer.parseInt(parts[1]), Integer.parseInt(parts[2]),
          Integer.parseInt(parts[3]), seed);
    }
    if (spec.contains(",")) {
      String[] parts = spec.split(",");
      NpyArray x = readNpy(baseDir.resolve(parts[0].trim()));
      NpyArray y = readNpy(baseDir.resolve(parts[1].trim()));
      if (x.shape().length < 2 || y.shape().length != 1 || x.shape()[0] != y.shape()[0]) {
        throw new IOException("npy features must be [N, ...] and labels [N]; got features "
            + java.util.Arrays.toString(x.shape()) + " and labels " + java.util.Arrays.toString(y.shape()));
      }
      int[] labels = new int[y.values().length];
      for (int i = 0; i < labels.length; i++) {
        labels[i] = Math.round(y.values()[i]);
      }
      int[] sampleShape = java.util.Arrays.copyOfRange(x.shape(), 1, x.shape().length);
      return new Dataset(x.values(), labels, sampleShape, Dataset.classesOf(labels));
    }
    Path file = baseDir.resolve(spec);
    if (spec.endsWith(".csv") || spec.endsWith(".csv.gz")) {
      try (InputStream in = Files.newInputStream(file)) {
        return CsvData.read(in, spec.endsWith(".gz"), file.toString());
      }
    }
    throw new IllegalArgumentException("unknown data '" + spec
        + "': use digits, synthetic:SAMPLES:FEATURES:CLASSES, FILE.csv[.gz] or FEATURES.npy,LABELS.npy");
  }

  private static NpyArray readNpy(Path file) throws IOException {
    try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(file))) {
      return NpyArray.read(in, file.toString());
    }
  }
}
