package dev.capstan.train.data;

import java.util.SplittableRandom;

/** A seeded Fisher–Yates shuffle of {@code 0..n-1}: the same seed gives the same order everywhere. */
public final class Permutation {
  private Permutation() {}

  public static int[] of(int n, long seed) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }
}
