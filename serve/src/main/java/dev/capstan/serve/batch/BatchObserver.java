package dev.capstan.serve.batch;

/** Told about each engine call a batcher makes, for metrics. */
public interface BatchObserver {
    BatchObserver NONE = new BatchObserver() {
    };

    /** A request left the queue after {@code nanos}. */
    default void queued(long nanos) {
    }

    /** An engine call ran {@code requests} requests holding {@code rows} rows. */
    default void batch(int requests, long rows) {
    }
}
