package dev.capstan.train.optim;

/** Adam (Kingma and Ba) with bias correction, as PyTorch's Adam without weight decay. */
public final class Adam implements Optimizer {
  private final double learningRate;
  private final double beta1;
  private final double beta2;
  private final double epsilon;
  private final float[] first;
  private final float[] second;

  public Adam(int size, double learningRate, double beta1, double beta2, double epsilon) {
    this.learningRate = learningRate;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.first = new float[size];
    this.second = new float[size];
  }

  @Override
  public String name() {
    return "adam";
  }

  @Override
  public void update(float[] params, float[] grads, int from, int to, long step) {
    double correction1 = 1 - Math.pow(beta1, step);
    double correction2 = 1 - Math.pow(beta2, step);
    for (int i = from; i < to; i++) {
      double g = grads[i];
      first[i] = (float) (beta1 * first[i] + (1 - beta1) * g);
      second[i] = (float) (beta2 * second[i] + (1 - beta2) * g * g);
      double mHat = first[i] / correction1;
      double vHat = second[i] / correction2;
      params[i] = (float) (params[i] - learningRate * mHat / (Math.sqrt(vHat) + epsilon));
    }
  }

  @Override
  public float[][] state() {
    return new float[][] {first, second};
  }
}
