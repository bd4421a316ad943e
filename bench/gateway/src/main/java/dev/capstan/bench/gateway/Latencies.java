package dev.capstan.bench.gateway;

import java.util.Arrays;

/** Latencies from many threads; percentiles by sorting once at the end. */
final class Latencies {
    private long[] values = new long[1 << 14];
    private int size;

    synchronized void add(long nanos) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
        }
        values[size++] = nanos;
    }

    synchronized int count() {
        return size;
    }

    /** The q-quantile in microseconds (0 when empty). */
    synchronized double percentileMicros(double q) {
        if (size == 0) {
            return 0;
        }
        long[] sorted = Arrays.copyOf(values, size);
        Arrays.sort(sorted);
        return sorted[Math.min(size - 1, (int) (q * size))] / 1000.0;
    }
}
