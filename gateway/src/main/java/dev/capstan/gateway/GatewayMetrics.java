package dev.capstan.gateway;

import dev.capstan.serve.metrics.PrometheusText;
import dev.capstan.serve.transport.OpenConnections;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLongArray;

/** The gateway's metrics in Prometheus text format, for {@code /metrics} on the REST listener. */
final class GatewayMetrics {
    static final String CONTENT_TYPE = PrometheusText.CONTENT_TYPE;

    private final AtomicLongArray unrouted = new AtomicLongArray(600);
    private final OpenConnections connections;

    GatewayMetrics(OpenConnections connections) {
        this.connections = connections;
    }

    /** Counts an answer the gateway gave itself: health, metrics, unknown or malformed paths. */
    void unrouted(int code) {
        unrouted.incrementAndGet(code >= 100 && code < 600 ? code : 599);
    }

    String render(Collection<RevisionState> revisions) {
        StringBuilder out = new StringBuilder(4096);
        PrometheusText.header(out, "capstan_gateway_requests_total", "counter",
                "Requests answered for a revision, by namespace, service, revision and status code (499: the client went away).");
        for (RevisionState revision : revisions) {
            String labels = labels(revision);
            revision.metrics.forEachCode((count, code) -> out.append("capstan_gateway_requests_total{").append(labels)
                    .append(",code=\"").append(code).append("\"} ").append(count).append('\n'));
        }
        PrometheusText.header(out, "capstan_gateway_unrouted_requests_total", "counter",
                "Requests the gateway answered itself (health, metrics, unknown services, malformed paths), by status code.");
        for (int code = 100; code < 600; code++) {
            long count = unrouted.get(code);
            if (count > 0) {
                out.append("capstan_gateway_unrouted_requests_total{code=\"").append(code).append("\"} ").append(count).append('\n');
            }
        }
        PrometheusText.header(out, "capstan_gateway_request_duration_seconds", "histogram",
                "Time from a request's arrival at the gateway to the end of its answer, waiting in the activator included.");
        for (RevisionState revision : revisions) {
            revision.metrics.latency.write(out, "capstan_gateway_request_duration_seconds", labels(revision));
        }
        PrometheusText.header(out, "capstan_gateway_inflight_requests", "gauge", "Requests in flight for a revision, waiting ones included.");
        for (RevisionState revision : revisions) {
            out.append("capstan_gateway_inflight_requests{").append(labels(revision)).append("} ").append(revision.load.inFlight()).append('\n');
        }
        PrometheusText.header(out, "capstan_gateway_activator_waiting_requests", "gauge",
                "Requests waiting for a replica of a revision (at zero, or every replica at its container concurrency).");
        for (RevisionState revision : revisions) {
            out.append("capstan_gateway_activator_waiting_requests{").append(labels(revision)).append("} ").append(revision.waiting()).append('\n');
        }
        PrometheusText.header(out, "capstan_gateway_open_connections", "gauge", "Client connections open now, REST and gRPC.");
        out.append("capstan_gateway_open_connections ").append(connections.count()).append('\n');
        PrometheusText.header(out, "capstan_gateway_max_connections", "gauge", "The cap on open client connections.");
        out.append("capstan_gateway_max_connections ").append(connections.cap()).append('\n');
        return out.toString();
    }

    private static String labels(RevisionState revision) {
        return PrometheusText.label("namespace", revision.key.namespace()) + "," + PrometheusText.label("service", revision.key.service())
                + "," + PrometheusText.label("revision", revision.key.revision());
    }
}
