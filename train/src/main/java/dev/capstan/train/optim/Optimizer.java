package dev.capstan.train.optim;

/**
 * An element-wise optimizer on a flat parameter vector. Every rank applies it to the same
 * all-reduced gradients, so parameters stay bit-identical without being exchanged. Updates may be
 * applied range by range (one gradient bucket at a time) within a step.
 */
public sealed interface Optimizer permits Sgd, Adam {
  String name();

  /**
   * Applies one update to {@code params[from, to)} from {@code grads[from, to)}.
   *
   * @param step the 1-based number of the optimizer step being taken
   */
  void update(float[] params, float[] grads, int from, int to, long step);

  /** The state vectors (momentum, moments), each as long as the parameters; checkpointed as is. */
  float[][] state();

  static Optimizer create(String name, int size, double learningRate, double momentum) {
    return switch (name) {
      case "sgd" -> new Sgd(size, learningRate, momentum);
      case "adam" -> new Adam(size, learningRate, 0.9, 0.999, 1e-8);
      default -> throw new IllegalArgumentException("unknown optimizer '" + name + "': use sgd or adam");
    };
  }
}
