package dev.capstan.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Runs an experiment's independent runs on up to {@code threads} threads, results in the order given. */
final class ParallelRuns {
  private ParallelRuns() {}

  static <R> List<R> run(List<Callable<R>> runs, int threads) throws InterruptedException {
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, runs.size())));
    try {
      List<Future<R>> futures = new ArrayList<>();
      runs.forEach(r -> futures.add(pool.submit(r)));
      List<R> results = new ArrayList<>();
      for (Future<R> f : futures) {
        results.add(f.get());
      }
      return results;
    } catch (ExecutionException e) {
      throw new IllegalStateException("a simulation run failed: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }
}
