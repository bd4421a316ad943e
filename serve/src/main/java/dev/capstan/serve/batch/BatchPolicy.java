package dev.capstan.serve.batch;

import java.time.Duration;

/**
 * How one model's requests are queued and grouped: at most {@code maxBatchSize} rows per engine
 * call, waiting at most {@code maxLatency} after the first request for more (and only while
 * another batch of the model is in the engine); {@code maxQueue}
 * requests may wait; each request fails after {@code timeout}; {@code workers} engine calls run at once.
 */
public record BatchPolicy(int maxBatchSize, Duration maxLatency, int maxQueue, Duration timeout, int workers) {
    public BatchPolicy {
        if (maxBatchSize < 1 || maxQueue < 1 || workers < 1) {
            throw new IllegalArgumentException("maxBatchSize, maxQueue and workers must be at least 1");
        }
        if (maxLatency.isNegative() || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("maxLatency must not be negative and timeout must be positive");
        }
    }

    /** No batching: one request per engine call, one worker per core. */
    public static BatchPolicy unbatched() {
        return new BatchPolicy(1, Duration.ZERO, 1024, Duration.ofSeconds(30), Runtime.getRuntime().availableProcessors());
    }

    public BatchPolicy withMaxBatchSize(int size, Duration latency) {
        return new BatchPolicy(size, latency, maxQueue, timeout, workers);
    }

    public BatchPolicy withMaxQueue(int queue) {
        return new BatchPolicy(maxBatchSize, maxLatency, queue, timeout, workers);
    }

    public BatchPolicy withTimeout(Duration newTimeout) {
        return new BatchPolicy(maxBatchSize, maxLatency, maxQueue, newTimeout, workers);
    }

    public BatchPolicy withWorkers(int count) {
        return new BatchPolicy(maxBatchSize, maxLatency, maxQueue, timeout, count);
    }
}
