package dev.capstan.train.optim;

/** Stochastic gradient descent with momentum, as PyTorch's SGD: {@code v = μv + g; p -= lr·v}. */
public final class Sgd implements Optimizer {
  private final double learningRate;
  private final double momentum;
  private final float[] velocity;

  public Sgd(int size, double learningRate, double momentum) {
    this.learningRate = learningRate;
    this.momentum = momentum;
    this.velocity = new float[size];
  }

  @Override
  public String name() {
    return "sgd";
  }

  @Override
  public void update(float[] params, float[] grads, int from, int to, long step) {
    for (int i = from; i < to; i++) {
      float v = momentum == 0 ? grads[i] : (float) (momentum * velocity[i] + grads[i]);
      velocity[i] = v;
      params[i] = (float) (params[i] - learningRate * v);
    }
  }

  @Override
  public float[][] state() {
    return new float[][] {velocity};
  }
}
