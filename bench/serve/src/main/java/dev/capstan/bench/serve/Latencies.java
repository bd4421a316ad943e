package dev.capstan.bench.serve;

import java.util.Arrays;

/** Collects latencies from many threads; percentiles by sorting once at the end. */
final class Latencies {
    private long[] values = new long[1 << 16];
    private int size;

    synchronized void add(long nanos) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = nanos;
    }

    synchronized Result result(long elapsedNanos) {
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        return new Result(size, elapsedNanos, percentile(sorted, 0.50) / 1000.0, percentile(sorted, 0.99) / 1000.0, -1, 0);
    }

    private static long percentile(long[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) (q * sorted.length))];
    }
}
