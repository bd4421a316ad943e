package dev.capstan.serve.metrics;

import dev.capstan.serve.batch.BatchObserver;
import dev.capstan.serve.transport.OpenConnections;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToLongFunction;

/** The server's metrics, rendered in Prometheus text format for {@code /metrics}. */
public final class ServeMetrics {
    private static final double[] SECONDS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    private static final double[] BATCH_SIZES = {1, 2, 4, 8, 16, 32, 64, 128, 256};

    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, Histogram> latency = new ConcurrentHashMap<>();
    private final Map<String, Histogram> queueTime = new ConcurrentHashMap<>();
    private final Map<String, Histogram> batchSize = new ConcurrentHashMap<>();
    private final AtomicLong inFlight = new AtomicLong();
    private volatile OpenConnections connections;

    /** Counts a finished request and its latency. */
    public void request(String model, String protocol, int code, long nanos) {
        String labels = PrometheusText.label("model", model) + "," + PrometheusText.label("protocol", protocol);
        requests.computeIfAbsent(labels + "," + PrometheusText.label("code", Integer.toString(code)), k -> new LongAdder()).increment();
        latency.computeIfAbsent(labels, k -> new Histogram(SECONDS)).observe(nanos / 1e9);
    }

    public void started() {
        inFlight.incrementAndGet();
    }

    public void finished() {
        inFlight.decrementAndGet();
    }

    public long inFlight() {
        return inFlight.get();
    }

    /** Reports these connections, REST and gRPC, from now on. */
    public void watch(OpenConnections open) {
        this.connections = open;
    }

    public BatchObserver observer(String model) {
        String labels = PrometheusText.label("model", model);
        Histogram queued = queueTime.computeIfAbsent(labels, k -> new Histogram(SECONDS));
        Histogram sizes = batchSize.computeIfAbsent(labels, k -> new Histogram(BATCH_SIZES));
        return new BatchObserver() {
            @Override
            public void queued(long nanos) {
                queued.observe(nanos / 1e9);
            }

            @Override
            public void batch(int requests, long rows) {
                sizes.observe(rows);
            }
        };
    }

    /** The exposition text; {@code queueDepths} maps each model to its current queue depth. */
    public <T> String render(Map<String, T> models, ToLongFunction<T> queueDepth) {
        StringBuilder out = new StringBuilder(4096);
        PrometheusText.header(out, "capstan_serve_requests_total", "counter", "Inference requests answered, by model, protocol and status code.");
        requests.forEach((labels, count) -> out.append("capstan_serve_requests_total{").append(labels).append("} ").append(count.sum()).append('\n'));
        PrometheusText.header(out, "capstan_serve_request_duration_seconds", "histogram", "Time from a request's arrival to its answer.");
        latency.forEach((labels, h) -> h.write(out, "capstan_serve_request_duration_seconds", labels));
        PrometheusText.header(out, "capstan_serve_queue_duration_seconds", "histogram", "Time a request waited in its model's queue.");
        queueTime.forEach((labels, h) -> h.write(out, "capstan_serve_queue_duration_seconds", labels));
        PrometheusText.header(out, "capstan_serve_batch_size", "histogram", "Rows in each engine call.");
        batchSize.forEach((labels, h) -> h.write(out, "capstan_serve_batch_size", labels));
        PrometheusText.header(out, "capstan_serve_inflight_requests", "gauge", "Requests accepted and not yet answered.");
        out.append("capstan_serve_inflight_requests ").append(inFlight.get()).append('\n');
        PrometheusText.header(out, "capstan_serve_queue_depth", "gauge", "Requests waiting in each model's queue.");
        models.forEach((name, model) -> out.append("capstan_serve_queue_depth{").append(PrometheusText.label("model", name))
                .append("} ").append(queueDepth.applyAsLong(model)).append('\n'));
        OpenConnections open = connections;
        if (open != null) {
            connections(out, open);
        }
        return out.toString();
    }

    private static void connections(StringBuilder out, OpenConnections open) {
        PrometheusText.header(out, "capstan_serve_open_connections", "gauge", "Connections open now, REST and gRPC.");
        out.append("capstan_serve_open_connections ").append(open.count()).append('\n');
        PrometheusText.header(out, "capstan_serve_max_connections", "gauge", "The cap on open connections.");
        out.append("capstan_serve_max_connections ").append(open.cap()).append('\n');
        PrometheusText.header(out, "capstan_serve_connections_shed_total", "counter", "Idle connections closed to make room for new ones.");
        out.append("capstan_serve_connections_shed_total ").append(open.shedTotal()).append('\n');
        PrometheusText.header(out, "capstan_serve_connections_refused_total", "counter", "Connections closed on arrival: at the cap, none idle.");
        out.append("capstan_serve_connections_refused_total ").append(open.refusedTotal()).append('\n');
    }

    public static String contentType() {
        return PrometheusText.CONTENT_TYPE;
    }
}
