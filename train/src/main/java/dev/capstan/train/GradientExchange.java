package dev.capstan.train;

import dev.capstan.train.collective.Communicator;
import dev.capstan.train.model.Network;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Sums gradients across ranks in buckets. Tensors are grouped, last layer first (the order backward
 * produces them), into buckets of about {@code bucketBytes}; while the communication thread
 * all-reduces one bucket, this thread copies the next bucket's gradients out of the engine, and the
 * caller applies the optimizer to each bucket as soon as its sum arrives. (DJL exposes no
 * per-parameter hook inside backward, so overlap is with gradient extraction and the update, not
 * with backward itself.) The last bucket also carries the batch's loss sum and correct count.
 */
final class GradientExchange implements AutoCloseable {
  /** Receives the summed gradients of flat range {@code [from, to)} as soon as they are known. */
  interface RangeConsumer {
    void accept(int from, int to);
  }

  /** Global loss sum and correct count of the step. */
  record Totals(double lossSum, long correct) {}

  private record Bucket(int from, int to, List<Network.Tensor> tensors, ByteBuffer buffer) {}

  private final Communicator communicator;
  private final List<Bucket> buckets = new ArrayList<>();
  private final ExecutorService sender = Executors.newSingleThreadExecutor(r -> {
    Thread thread = new Thread(r, "capstan-allreduce");
    thread.setDaemon(true);
    return thread;
  });

  GradientExchange(Communicator communicator, Network network, int bucketBytes) {
    this.communicator = communicator;
    List<Network.Tensor> tensors = network.tensors();
    int end = tensors.size();
    while (end > 0) {
      int start = end - 1;
      long bytes = (long) tensors.get(start).size() * Float.BYTES;
      while (start > 0 && bytes + (long) tensors.get(start - 1).size() * Float.BYTES <= bucketBytes) {
        start--;
        bytes += (long) tensors.get(start).size() * Float.BYTES;
      }
      List<Network.Tensor> group = List.copyOf(tensors.subList(start, end));
      int from = group.getFirst().offset();
      int to = group.getLast().offset() + group.getLast().size();
      int extra = start == 0 ? 2 : 0;
      ByteBuffer buffer = communicator.allocate((to - from + extra) * Float.BYTES);
      buckets.add(new Bucket(from, to, group, buffer));
      end = start;
    }
  }

  /**
   * Takes this rank's gradients from {@code network}, sums them with every rank's into
   * {@code summed}, calling {@code ready} per bucket in the order they complete.
   */
  Totals exchange(Network network, Network.BatchResult local, float[] summed, RangeConsumer ready) {
    List<Future<?>> inFlight = new ArrayList<>();
    for (Bucket bucket : buckets) {
      ByteBuffer buffer = bucket.buffer().clear();
      for (Network.Tensor tensor : bucket.tensors()) {
        network.takeGradient(tensor, buffer);
      }
      if (buffer.hasRemaining()) {
        buffer.putFloat((float) local.lossSum());
        buffer.putFloat(local.correct());
      }
      buffer.flip();
      inFlight.add(sender.submit(() -> communicator.allReduceSum(bucket.buffer())));
    }
    double lossSum = 0;
    long correct = 0;
    for (int i = 0; i < buckets.size(); i++) {
      await(inFlight.get(i));
      Bucket bucket = buckets.get(i);
      ByteBuffer buffer = bucket.buffer();
      buffer.asFloatBuffer().get(summed, bucket.from(), bucket.to() - bucket.from());
      if (buffer.limit() / Float.BYTES > bucket.to() - bucket.from()) {
        int at = (bucket.to() - bucket.from()) * Float.BYTES;
        lossSum = buffer.getFloat(at);
        correct = Math.round(buffer.getFloat(at + Float.BYTES));
      }
      ready.accept(bucket.from(), bucket.to());
    }
    return new Totals(lossSum, correct);
  }

  private static void await(Future<?> future) {
    try {
      future.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while exchanging gradients", e);
    }
  }

  @Override
  public void close() {
    sender.shutdownNow();
  }
}
