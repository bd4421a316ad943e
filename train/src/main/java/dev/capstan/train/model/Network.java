package dev.capstan.train.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * An {@link Architecture} built as a DJL block on the PyTorch engine, with its parameters seen as
 * one flat float vector (tensors in layer order) so that gradients can be all-reduced and an
 * optimizer can run on plain arrays.
 */
public final class Network implements AutoCloseable {
  /** One parameter tensor and where it sits in the flat vector. */
  public record Tensor(String name, long[] shape, int offset, int size, Parameter parameter) {}

  /** Sum of the per-sample losses and number of correct predictions over a batch. */
  public record BatchResult(double lossSum, int correct, int samples) {}

  private final Architecture architecture;
  private final NDManager manager;
  private final SequentialBlock block;
  private final List<Tensor> tensors;
  private final int parameterCount;
  private final ParameterStore store;

  private Network(Architecture architecture, NDManager manager, SequentialBlock block, List<Tensor> tensors) {
    this.architecture = architecture;
    this.manager = manager;
    this.block = block;
    this.tensors = tensors;
    this.parameterCount = tensors.isEmpty() ? 0 : tensors.getLast().offset() + tensors.getLast().size();
    this.store = new ParameterStore(manager, false);
  }

  /** Builds the network with parameters drawn from {@code seed} (He-uniform weights, zero biases). */
  public static Network create(Architecture architecture, long seed) {
    NDManager manager = NDManager.newBaseManager();
    SequentialBlock block = new SequentialBlock();
    for (Layer layer : architecture.layers()) {
      block.add(toBlock(layer));
    }
    long[] input = new long[architecture.inputShape().length + 1];
    input[0] = 1;
    for (int i = 0; i < architecture.inputShape().length; i++) {
      input[i + 1] = architecture.inputShape()[i];
    }
    block.initialize(manager, DataType.FLOAT32, new Shape(input));
    List<Tensor> tensors = new ArrayList<>();
    int offset = 0;
    List<Block> children = block.getChildren().values();
    for (int i = 0; i < children.size(); i++) {
      for (Pair<String, Parameter> named : children.get(i).getParameters()) {
        Parameter parameter = named.getValue();
        long[] shape = parameter.getArray().getShape().getShape();
        int size = Math.toIntExact(parameter.getArray().size());
        tensors.add(new Tensor("layers." + i + "." + named.getKey(), shape, offset, size, parameter));
        offset += size;
      }
    }
    Network network = new Network(architecture, manager, block, List.copyOf(tensors));
    network.setParameters(network.initialValues(seed));
    for (Tensor tensor : tensors) {
      tensor.parameter().getArray().setRequiresGradient(true);
    }
    return network;
  }

  private static Block toBlock(Layer layer) {
    return switch (layer) {
      case Layer.Scale s -> new LambdaBlock(list -> new NDList(list.singletonOrThrow().mul(s.factor())));
      case Layer.Reshape r -> new LambdaBlock(list -> {
        long[] shape = new long[r.shape().size() + 1];
        shape[0] = -1;
        for (int i = 0; i < r.shape().size(); i++) {
          shape[i + 1] = r.shape().get(i);
        }
        return new NDList(list.singletonOrThrow().reshape(new Shape(shape)));
      });
      case Layer.Flatten f -> Blocks.batchFlattenBlock();
      case Layer.Linear l -> Linear.builder().setUnits(l.out()).build();
      case Layer.Conv2d c -> Conv2d.builder().setKernelShape(new Shape(c.kernel(), c.kernel()))
          .optPadding(new Shape(c.padding(), c.padding())).setFilters(c.out()).build();
      case Layer.MaxPool2d p -> Pool.maxPool2dBlock(new Shape(p.size(), p.size()), new Shape(p.size(), p.size()));
      case Layer.Relu r -> Activation.reluBlock();
    };
  }

  private float[] initialValues(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] values = new float[parameterCount];
    for (Tensor tensor : tensors) {
      if (tensor.shape().length < 2) {
        continue;
      }
      long fanIn = 1;
      for (int i = 1; i < tensor.shape().length; i++) {
        fanIn *= tensor.shape()[i];
      }
      double bound = Math.sqrt(6.0 / fanIn);
      for (int i = 0; i < tensor.size(); i++) {
        values[tensor.offset() + i] = (float) ((random.nextDouble() * 2 - 1) * bound);
      }
    }
    return values;
  }

  public Architecture architecture() {
    return architecture;
  }

  public List<Tensor> tensors() {
    return tensors;
  }

  public int parameterCount() {
    return parameterCount;
  }

  public void setParameters(float[] flat) {
    for (Tensor tensor : tensors) {
      tensor.parameter().getArray().set(FloatBuffer.wrap(flat, tensor.offset(), tensor.size()).slice());
    }
  }

  public float[] parameters() {
    float[] flat = new float[parameterCount];
    for (Tensor tensor : tensors) {
      float[] values = tensor.parameter().getArray().toFloatArray();
      System.arraycopy(values, 0, flat, tensor.offset(), tensor.size());
    }
    return flat;
  }

  /**
   * Forward and backward over a batch of {@code labels.length} samples; afterwards each tensor holds
   * the gradient of the <em>summed</em> loss (softmax cross-entropy), read with {@link #takeGradient}.
   */
  public BatchResult backward(float[] features, int[] labels) {
    if (labels.length == 0) {
      return new BatchResult(0, 0, 0);
    }
    try (NDManager step = manager.newSubManager();
        GradientCollector collector = manager.getEngine().newGradientCollector()) {
      NDArray x = step.create(features, batchShape(labels.length));
      NDArray y = step.create(labels).toType(DataType.INT64, false);
      NDArray logits = block.forward(store, new NDList(x), true).singletonOrThrow();
      NDArray logProbabilities = logits.logSoftmax(1);
      NDArray loss = logProbabilities.mul(y.oneHot(architecture.classes())).sum().neg();
      collector.backward(loss);
      int correct = (int) logits.argMax(1).eq(y).sum().getLong();
      return new BatchResult(loss.getFloat(), correct, labels.length);
    }
  }

  /** Copies the gradient of {@code tensor} into {@code target} (native-order floats) and resets it to zero. */
  public void takeGradient(Tensor tensor, ByteBuffer target) {
    NDArray array = tensor.parameter().getArray();
    if (!array.hasGradient()) {
      for (int i = 0; i < tensor.size(); i++) {
        target.putFloat(0f);
      }
      return;
    }
    try (NDArray gradient = array.getGradient()) {
      target.put(gradient.toByteBuffer());
      gradient.subi(gradient);
    }
  }

  /** Loss sum and correct count over {@code labels.length} samples, without gradients. */
  public BatchResult evaluate(float[] features, int[] labels) {
    try (NDManager step = manager.newSubManager()) {
      NDArray x = step.create(features, batchShape(labels.length));
      NDArray y = step.create(labels).toType(DataType.INT64, false);
      NDArray logits = block.forward(store, new NDList(x), false).singletonOrThrow();
      NDArray loss = logits.logSoftmax(1).mul(y.oneHot(architecture.classes())).sum().neg();
      int correct = (int) logits.argMax(1).eq(y).sum().getLong();
      return new BatchResult(loss.getFloat(), correct, labels.length);
    }
  }

  /** Logits for a batch of samples, row-major {@code [batch, classes]}. */
  public float[] logits(float[] features, int batch) {
    try (NDManager step = manager.newSubManager()) {
      NDArray x = step.create(features, batchShape(batch));
      return block.forward(store, new NDList(x), false).singletonOrThrow().toFloatArray();
    }
  }

  private Shape batchShape(int batch) {
    long[] shape = new long[architecture.inputShape().length + 1];
    shape[0] = batch;
    for (int i = 0; i < architecture.inputShape().length; i++) {
      shape[i + 1] = architecture.inputShape()[i];
    }
    return new Shape(shape);
  }

  @Override
  public void close() {
    manager.close();
  }
}
