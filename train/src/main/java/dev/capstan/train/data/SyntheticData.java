package dev.capstan.train.data;

import java.util.SplittableRandom;

/**
 * A seeded, learnable classification problem of any size: each class has a random centre and
 * samples are that centre plus Gaussian noise. The same seed always gives the same data.
 */
public final class SyntheticData {
  private SyntheticData() {}

  public static Dataset generate(int samples, int features, int classes, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] centres = new float[classes * features];
    for (int i = 0; i < centres.length; i++) {
      centres[i] = (float) (random.nextDouble() * 2 - 1);
    }
    float[] x = new float[samples * features];
    int[] y = new int[samples];
    for (int s = 0; s < samples; s++) {
      int label = random.nextInt(classes);
      y[s] = label;
      for (int f = 0; f < features; f++) {
        x[s * features + f] = centres[label * features + f] + (float) (gaussian(random) * 0.5);
      }
    }
    return new Dataset(x, y, new int[] {features}, classes);
  }

  private static double gaussian(SplittableRandom random) {
    double u = 1 - random.nextDouble();
    double v = random.nextDouble();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}
