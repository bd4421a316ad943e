package dev.capstan.train.data;

/**
 * Splits a dataset into training and held-out parts by a seeded shuffle, the same on every rank.
 *
 * @param train the samples to train on
 * @param heldOut the samples for the final evaluation (possibly empty)
 */
public record HeldOutSplit(Dataset train, Dataset heldOut) {

  public static HeldOutSplit of(Dataset all, double heldOutFraction, long seed) {
    if (heldOutFraction < 0 || heldOutFraction >= 1) {
      throw new IllegalArgumentException("held-out fraction must be in [0, 1), got " + heldOutFraction);
    }
    int[] order = Permutation.of(all.size(), seed ^ 0x5DEECE66DL);
    int heldOut = (int) Math.round(all.size() * heldOutFraction);
    int[] test = java.util.Arrays.copyOfRange(order, 0, heldOut);
    int[] train = java.util.Arrays.copyOfRange(order, heldOut, order.length);
    return new HeldOutSplit(all.select(train), all.select(test));
  }
}
