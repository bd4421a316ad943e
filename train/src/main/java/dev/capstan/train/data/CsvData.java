package dev.capstan.train.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;

/**
 * Reads numeric CSV (optionally gzip-compressed): one sample a line, the label in the last column
 * (an integer class index), an optional header line that is skipped when it is not numeric.
 */
public final class CsvData {
  private CsvData() {}

  public static Dataset read(InputStream raw, boolean gzip, String name) throws IOException {
    InputStream in = gzip ? new GZIPInputStream(raw) : raw;
    FloatList features = new FloatList();
    FloatList labels = new FloatList();
    int columns = -1;
    int lineNumber = 0;
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        String[] cells = line.split(",");
        if (lineNumber == 1 && !isNumber(cells[0].trim())) {
          continue;
        }
        if (columns < 0) {
          columns = cells.length;
          if (columns < 2) {
            throw new IOException(name + ":" + lineNumber + ": need at least one feature and a label");
          }
        } else if (cells.length != columns) {
          throw new IOException(name + ":" + lineNumber + ": " + cells.length + " columns, expected " + columns);
        }
        try {
          for (int i = 0; i < columns - 1; i++) {
            features.add(Float.parseFloat(cells[i].trim()));
          }
          labels.add((int) Double.parseDouble(cells[columns - 1].trim()));
        } catch (NumberFormatException e) {
          throw new IOException(name + ":" + lineNumber + ": not a number: " + e.getMessage());
        }
      }
    }
    float[] classes = labels.toArray();
    if (classes.length == 0) {
      throw new IOException(name + ": no samples");
    }
    int[] y = new int[classes.length];
    for (int i = 0; i < y.length; i++) {
      y[i] = (int) classes[i];
    }
    return new Dataset(features.toArray(), y, new int[] {columns - 1}, Dataset.classesOf(y));
  }

  private static boolean isNumber(String cell) {
    try {
      Double.parseDouble(cell);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  private static final class FloatList {
    private float[] values = new float[1024];
    private int size;

    void add(float value) {
      if (size == values.length) {
        values = java.util.Arrays.copyOf(values, size * 2);
      }
      values[size++] = value;
    }

    float[] toArray() {
      return java.util.Arrays.copyOf(values, size);
    }
  }
}
