package dev.capstan.gateway;

import dev.capstan.serve.metrics.Histogram;
import java.util.concurrent.atomic.AtomicLongArray;

/** One revision's answered requests by status code, and their latency. */
final class RevisionMetrics {
    private static final double[] SECONDS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

    private final AtomicLongArray byCode = new AtomicLongArray(600);
    final Histogram latency = new Histogram(SECONDS);

    void answered(int code, long nanos) {
        byCode.incrementAndGet(code >= 100 && code < 600 ? code : 599);
        latency.observe(nanos / 1e9);
    }

    /** Calls {@code each} with every code seen and its count. */
    void forEachCode(java.util.function.ObjIntConsumer<Long> each) {
        for (int code = 100; code < 600; code++) {
            long count = byCode.get(code);
            if (count > 0) {
                each.accept(count, code);
            }
        }
    }
}
