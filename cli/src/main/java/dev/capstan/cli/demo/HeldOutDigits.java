package dev.capstan.cli.demo;

import dev.capstan.train.data.DataSource;
import dev.capstan.train.data.Dataset;
import dev.capstan.train.data.HeldOutSplit;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The digits the trainer held out (same data, fraction and seed as examples/demo/training.yaml
 * leaves at the trainer's defaults), so that accuracy over served predictions is measured on
 * samples the model never trained on.
 */
record HeldOutDigits(float[][] rows, int[] labels) {
  private static final double HELD_OUT = 0.2;
  private static final long SEED = 42;

  static HeldOutDigits load() throws IOException {
    Dataset all = DataSource.load(DataSource.DIGITS, Path.of("."), SEED);
    Dataset held = HeldOutSplit.of(all, HELD_OUT, SEED).heldOut();
    int width = held.features().length / held.labels().length;
    float[][] rows = new float[held.labels().length][width];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(held.features(), i * width, rows[i], 0, width);
    }
    return new HeldOutDigits(rows, held.labels());
  }

  int size() {
    return labels.length;
  }
}
