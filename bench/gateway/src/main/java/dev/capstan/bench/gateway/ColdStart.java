package dev.capstan.bench.gateway;

import dev.capstan.gateway.Gateway;
import dev.capstan.gateway.GatewayConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A request for a revision at zero replicas, through the gateway, to its first response: the
 * activator holds the request and calls scale-from-zero; a stand-in control plane (this class)
 * starts a replica as local mode does, probes it ready and publishes the route; the gateway then
 * forwards the held request. Split on the machine's monotonic clock into: activator (request sent
 * → scale-from-zero called), process start (→ the replica's main), model load (→ its ready line:
 * engine, model and listeners), ready probe (→ first 200 from /v2/health/ready), route and first
 * infer (→ response).
 */
final class ColdStart {
    private static final double TARGET_MILLIS = 1000;

    /** One cold start's timeline, in nanoseconds of the monotonic clock. */
    private record Timeline(long sent, long scaleCalled, ReplicaProcess replica, long answered) {
        double millis(long from, long to) {
            return (to - from) / 1e6;
        }
    }

    private ColdStart() {
    }

    static void run(Path work, int runsWithArchive) throws Exception {
        System.out.printf("%n== cold start: request at zero replicas -> first response (small MLP, REST through the gateway) ==%n");
        System.out.printf("%-26s %9s %10s %10s %10s %10s %12s%n", "run", "total ms", "activator", "process", "model load",
                "ready probe", "route+infer");
        Path archive = work.resolve("cds/serve.jsa");
        Files.createDirectories(archive.getParent());
        Files.deleteIfExists(archive);
        byte[] body = Files.readAllBytes(work.resolve("request-784.json"));
        BenchFeedback feedback = new BenchFeedback();
        List<Double> withArchive = new ArrayList<>();
        try (Gateway gateway = Gateway.start(GatewayConfig.loopback(), feedback)) {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            warmUp(gateway, client);
            print("no CDS archive", once(gateway, feedback, client, body, work, null));
            print("CDS archive being written", once(gateway, feedback, client, body, work, archive));
            for (int i = 1; i <= runsWithArchive; i++) {
                Timeline t = once(gateway, feedback, client, body, work, archive);
                print("CDS archive #" + i, t);
                withArchive.add(t.millis(t.sent(), t.answered()));
            }
        }
        double median = withArchive.stream().sorted().toList().get(withArchive.size() / 2);
        System.out.printf(Locale.ROOT, "cold start with the CDS archive, median of %d: %.0f ms = %.2fx the %.0f ms target%n",
                withArchive.size(), median, median / TARGET_MILLIS, TARGET_MILLIS);
    }

    /** A long-running gateway has loaded its request path: a few requests for a service it does not know (404). */
    private static void warmUp(Gateway gateway, HttpClient client) throws Exception {
        HttpRequest unknown = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.restPort()
                + "/v2/models/no-such-service/infer")).POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        for (int i = 0; i < 20; i++) {
            client.send(unknown, HttpResponse.BodyHandlers.discarding());
        }
    }

    private static Timeline once(Gateway gateway, BenchFeedback feedback, HttpClient client, byte[] body, Path work,
                                 Path archive) throws Exception {
        gateway.update(Routes.all(Routes.FIRST, List.of()));
        CompletableFuture<Long> scaleCalled = new CompletableFuture<>();
        CompletableFuture<ReplicaProcess> started = new CompletableFuture<>();
        feedback.onScaleFromZero(key -> {
            if (scaleCalled.complete(System.nanoTime())) {
                Thread.ofPlatform().start(() -> {
                    try {
                        ReplicaProcess replica = ReplicaProcess.spawn("mlp-cold", work.resolve("v1"), archive);
                        started.complete(replica);
                        replica.awaitReady();
                        gateway.update(Routes.all(key, List.of(replica.endpoint())));
                    } catch (Exception e) {
                        started.completeExceptionally(e);
                    }
                });
            }
        });
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.restPort() + "/v2/models/"
                        + ReplicaProcess.SERVICE + "/infer"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(120))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        long sent = System.nanoTime();
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        long answered = System.nanoTime();
        ReplicaProcess replica = started.get(120, TimeUnit.SECONDS);
        gateway.update(Routes.all(Routes.FIRST, List.of()));
        replica.close();
        if (response.statusCode() != 200) {
            throw new IllegalStateException("the first request got " + response.statusCode() + ": " + response.body());
        }
        return new Timeline(sent, scaleCalled.get(), replica, answered);
    }

    private static void print(String run, Timeline t) {
        ReplicaProcess r = t.replica();
        System.out.printf(Locale.ROOT, "%-26s %9.0f %10.1f %10.0f %10.0f %10.0f %12.0f%n", run, t.millis(t.sent(), t.answered()),
                t.millis(t.sent(), t.scaleCalled()), t.millis(t.scaleCalled(), r.mainNanos()),
                t.millis(r.mainNanos(), r.readyLineNanos()), t.millis(r.readyLineNanos(), r.probeOkNanos()),
                t.millis(r.probeOkNanos(), t.answered()));
    }
}
