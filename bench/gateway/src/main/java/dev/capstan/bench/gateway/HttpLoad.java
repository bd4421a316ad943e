package dev.capstan.bench.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A closed-loop REST load that runs until stopped: N virtual threads, each sending the next OIP
 * infer request as soon as the last one was answered, every request's end, latency and outcome
 * kept, so that phases of a run (steady, rollout) can be cut out afterwards.
 */
final class HttpLoad implements AutoCloseable {
    /** One request: when it ended, how long it took, and why it failed (null: answered 200). */
    record Sample(long endNanos, long latencyNanos, String failure) {
    }

    private final List<Sample> samples = new ArrayList<>();
    private final CountDownLatch stopped;
    private volatile boolean running = true;

    private HttpLoad(int concurrency) {
        stopped = new CountDownLatch(concurrency);
    }

    /** Load on {@code base + /v2/models/mlp/infer}; the base is a server's root or a service's URL. */
    static HttpLoad start(String base, byte[] body, int concurrency) {
        HttpLoad load = new HttpLoad(concurrency);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/v2/models/" + ReplicaProcess.SERVICE + "/infer"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        for (int c = 0; c < concurrency; c++) {
            Thread.ofVirtual().start(() -> load.loop(client, request));
        }
        return load;
    }

    private void loop(HttpClient client, HttpRequest request) {
        try {
            while (running) {
                long start = System.nanoTime();
                String failure;
                try {
                    int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                    failure = status == 200 ? null : "HTTP " + status;
                } catch (Exception e) {
                    failure = e.getClass().getSimpleName();
                }
                long end = System.nanoTime();
                synchronized (samples) {
                    samples.add(new Sample(end, end - start, failure));
                }
            }
        } finally {
            stopped.countDown();
        }
    }

    /** The requests that ended in {@code [from, to)}. */
    List<Sample> between(long fromNanos, long toNanos) {
        synchronized (samples) {
            return samples.stream().filter(s -> s.endNanos() >= fromNanos && s.endNanos() < toNanos).toList();
        }
    }

    /** Failures by reason, over the whole run. */
    Map<String, Integer> failures() {
        Map<String, Integer> byReason = new TreeMap<>();
        synchronized (samples) {
            samples.stream().filter(s -> s.failure() != null).forEach(s -> byReason.merge(s.failure(), 1, Integer::sum));
        }
        return byReason;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        if (!stopped.await(90, TimeUnit.SECONDS)) {
            throw new IllegalStateException("load threads still running 90 s after the stop");
        }
    }
}
