package dev.capstan.bench.collective;

import dev.capstan.train.collective.Communicator;
import dev.capstan.train.collective.Rendezvous;
import dev.capstan.train.collective.RendezvousSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/** One rank of the all-reduce measurement: per size a warm-up, then timed iterations; rank 0 reports medians. */
final class AllReduceRank {
  private AllReduceRank() {}

  static void main(String[] args) {
    int[] sizesMb = Arrays.stream(args[0].split(",")).mapToInt(Integer::parseInt).toArray();
    int iterations = Integer.parseInt(args[1]);
    RendezvousSpec spec = RendezvousSpec.fromEnvironment(System.getenv(), Duration.ofSeconds(60), Duration.ofSeconds(60));
    try (Communicator comm = Rendezvous.join(spec)) {
      if (comm.rank() == 0) {
        System.out.printf("result shared-memory %d%n", comm.describeLinks().contains("shared memory") ? 1 : 0);
      }
      for (int mb : sizesMb) {
        int bytes = mb * 1_000_000 / 4 * 4;
        ByteBuffer buffer = comm.allocate(bytes);
        for (int i = 0; i < bytes / 4; i++) {
          buffer.putFloat(i * 4, 1f);
        }
        comm.allReduceSum(buffer);
        float expected = comm.worldSize();
        if (buffer.getFloat(0) != expected || buffer.getFloat(bytes - 4) != expected) {
          throw new IllegalStateException("wrong sum " + buffer.getFloat(0) + ", expected " + expected);
        }
        double[] seconds = new double[iterations];
        for (int i = 0; i < iterations; i++) {
          comm.allReduceSum(ByteBuffer.allocate(4).order(ByteOrder.nativeOrder()).putFloat(0, 0));
          long start = System.nanoTime();
          comm.allReduceSum(buffer);
          seconds[i] = (System.nanoTime() - start) / 1e9;
        }
        Arrays.sort(seconds);
        if (comm.rank() == 0) {
          System.out.printf(Locale.ROOT, "result seconds-%d %.6f%n", mb, seconds[iterations / 2]);
        }
      }
    }
  }
}
