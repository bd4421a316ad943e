package dev.capstan.cli.demo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A bounded closed-loop load generator: a fixed number of clients, each sending one held-out digit
 * per request through the gateway and the next as soon as it is answered, until stopped. It counts
 * answers and failures (anything but 200, or no answer) and keeps each answer's latency for the
 * percentiles (the first {@link #MAX_SAMPLES}; the counts go on past them).
 */
final class LoadGenerator implements AutoCloseable {
  static final int MAX_CLIENTS = 64;
  static final int MAX_SAMPLES = 200_000;

  /** What the load did: answers, failures, its time, and latency percentiles in milliseconds. */
  record Figures(long requests, long failed, double seconds, double p50Millis, double p99Millis, String firstFailure) {
    double rate() {
      return seconds > 0 ? requests / seconds : 0;
    }
  }

  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicReference<String> firstFailure = new AtomicReference<>();
  private final long[] latencies;
  private final AtomicInteger sampled = new AtomicInteger();
  private final List<Thread> clients = new ArrayList<>();
  private final long startedNanos = System.nanoTime();
  private volatile boolean stopped;
  private long stoppedNanos;

  private LoadGenerator(int clientCount) {
    if (clientCount < 1 || clientCount > MAX_CLIENTS) {
      throw new IllegalArgumentException("clients must be 1 to " + MAX_CLIENTS + ", not " + clientCount);
    }
    latencies = new long[MAX_SAMPLES];
  }

  /** Starts {@code clientCount} clients sending the digits' rows, one per request, in turn. */
  static LoadGenerator start(OipClient oip, OipClient.Input input, HeldOutDigits digits, int clientCount) {
    LoadGenerator load = new LoadGenerator(clientCount);
    AtomicInteger next = new AtomicInteger();
    for (int i = 0; i < clientCount; i++) {
      load.clients.add(Thread.ofVirtual().name("demo-load-" + i).start(() -> load.loop(oip, input, digits, next)));
    }
    return load;
  }

  private void loop(OipClient oip, OipClient.Input input, HeldOutDigits digits, AtomicInteger next) {
    while (!stopped) {
      float[] row = digits.rows()[Math.floorMod(next.getAndIncrement(), digits.size())];
      long sent = System.nanoTime();
      try {
        oip.classify(input, new float[][] {row});
        int at = sampled.getAndIncrement();
        if (at < latencies.length) {
          latencies[at] = System.nanoTime() - sent;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        failed.incrementAndGet();
        firstFailure.compareAndSet(null, e.getMessage());
      }
      requests.incrementAndGet();
    }
  }

  /** Requests answered or failed so far. */
  long requests() {
    return requests.get();
  }

  long failed() {
    return failed.get();
  }

  /** Stops the clients, waits for their last requests, and returns the figures. */
  Figures stop() throws InterruptedException {
    if (!stopped) {
      stopped = true;
      for (Thread t : clients) {
        t.join();
      }
      stoppedNanos = System.nanoTime();
    }
    long[] sorted = Arrays.copyOf(latencies, Math.min(sampled.get(), latencies.length));
    Arrays.sort(sorted);
    return new Figures(requests.get(), failed.get(), TrainingProgress.seconds(stoppedNanos - startedNanos),
        percentile(sorted, 0.50), percentile(sorted, 0.99), firstFailure.get());
  }

  private static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int at = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, at))] / 1e6;
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
