package dev.capstan.bench.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The same two measurements end to end in local mode, as a user runs it: {@code capstan server}
 * with a home of its own, an InferenceService applied with {@code minReplicas: 0} and short
 * windows (stable 2 s, grace 1 s) and read through the server's API, requests to the service's URL. Cold start: wait until the
 * service is at zero, then one request to its first response (the activator, the control plane's
 * reconcile, admission, the replica's start and probe, the route). Rollout: REST at concurrency 16
 * while v2 is applied with a 20 % canary and then promoted; failed requests and p99 as above.
 */
final class LocalMode {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Duration FIRST_USE = Duration.ofMinutes(20);
    private static final Duration PATIENCE = Duration.ofMinutes(3);
    private static final int COLD_STARTS = 3;

    private static final String API = "/apis/capstan.dev/v1alpha1/namespaces/default/inferenceservices/" + ReplicaProcess.SERVICE;
    private static final Pattern LISTENING = Pattern.compile("capstan server listening on (http://127\\.0\\.0\\.1:\\d+)");

    private final Path launcher;
    private final Path home;
    private final Path work;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private String apiBase;

    private LocalMode(Path launcher, Path home, Path work) {
        this.launcher = launcher;
        this.home = home;
        this.work = work;
    }

    static void run(Path work, Path root, int seconds) throws Exception {
        System.out.printf("%n== local mode: capstan server, an InferenceService with minReplicas 0, requests to its URL ==%n");
        Path launcher = root.resolve("capstan");
        if (!Files.isExecutable(launcher)) {
            System.out.println("  skip: local mode (no capstan launcher at " + launcher + ")");
            return;
        }
        Path home = work.resolve("local-home");
        deleteTree(home);
        Files.createDirectories(home);
        new LocalMode(launcher, home, work).measure(seconds);
    }

    private void measure(int seconds) throws Exception {
        Process server = command("server", "--gateway-port", Integer.toString(freePort()))
                .redirectOutput(work.resolve("local-server.log").toFile()).redirectErrorStream(true).start();
        try {
            if (!awaitServer(server)) {
                System.out.println("  skip: local mode (capstan server did not start; see " + work.resolve("local-server.log")
                        + " and cli/target/build.log)");
                return;
            }
            apply("v1", null);
            String url = await(s -> readyReplicas(s) > 0 && !s.path("status").path("url").asText().isEmpty())
                    .path("status").path("url").asText();
            coldStarts(url);
            rollout(url, seconds);
        } finally {
            if (apiBase != null) {
                api(HttpRequest.newBuilder(URI.create(apiBase + API)).DELETE());
            }
            server.destroy();
            if (!server.waitFor(60, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private void coldStarts(String url) throws Exception {
        byte[] body = Files.readAllBytes(work.resolve("request-784.json"));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/v2/models/" + ReplicaProcess.SERVICE + "/infer"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(120))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        List<Double> totals = new ArrayList<>();
        for (int i = 1; i <= COLD_STARTS; i++) {
            await(s -> readyReplicas(s) == 0);
            long sent = System.nanoTime();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            double millis = (System.nanoTime() - sent) / 1e6;
            if (response.statusCode() != 200) {
                throw new IllegalStateException("the first request got " + response.statusCode() + ": " + response.body());
            }
            totals.add(millis);
            System.out.printf(Locale.ROOT, "cold start #%d (at zero -> first response): %.0f ms%n", i, millis);
        }
        System.out.printf(Locale.ROOT, "local-mode cold start, median of %d: %.0f ms%n", totals.size(),
                totals.stream().sorted().toList().get(totals.size() / 2));
    }

    private void rollout(String url, int seconds) throws Exception {
        System.out.printf("rollout under load: REST at concurrency %d to the service's URL, v1 -> 20 %% canary of v2 -> v2%n",
                Rollout.CONCURRENCY);
        byte[] body = Files.readAllBytes(work.resolve("request-784.json"));
        try (HttpLoad load = HttpLoad.start(url, body, Rollout.CONCURRENCY)) {
            Thread.sleep(3000);
            long steadyFrom = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            long steadyTo = System.nanoTime();
            apply("v2", 20);
            await(s -> traffic(s, 2) == 20);
            apply("v2", null);
            await(s -> traffic(s, 2) == 100 && readyReplicas(s, 1) == 0);
            long rolloutTo = System.nanoTime();
            Thread.sleep(seconds * 1000L);
            Rollout.print(load, new long[] {steadyFrom, steadyTo, steadyTo, rolloutTo, System.nanoTime()});
        }
    }

    /** Applies the service (what {@code capstan apply -f} sends): the model version and the canary percent, if any. */
    private void apply(String version, Integer canary) throws Exception {
        ObjectNode manifest = (ObjectNode) YAML.readTree(manifest(version, canary));
        HttpResponse<String> response = api(HttpRequest.newBuilder(URI.create(apiBase + API))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(manifest))));
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("applying the service got " + response.statusCode() + ": " + response.body());
        }
    }

    private HttpResponse<String> api(HttpRequest.Builder request) throws Exception {
        String token = Files.readString(home.resolve("token")).strip();
        return http.send(request.header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String manifest(String version, Integer canary) {
        return "apiVersion: capstan.dev/v1alpha1\nkind: InferenceService\nmetadata:\n  name: " + ReplicaProcess.SERVICE + "\n"
                + "spec:\n  predictor:\n    model:\n      modelFormat: {name: onnx}\n      storageUri: "
                + work.resolve(version).toAbsolutePath() + "\n    minReplicas: 0\n    maxReplicas: 2\n"
                + "    autoscaling: {stableWindow: 2s, scaleToZeroGracePeriod: 1s}\n"
                + (canary == null ? "" : "    canaryTrafficPercent: " + canary + "\n");
    }

    private ProcessBuilder command(String... args) {
        List<String> argv = new ArrayList<>(List.of(launcher.toString()));
        argv.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(argv);
        builder.environment().put("CAPSTAN_HOME", home.toString());
        return builder;
    }

    /** The first use of the launcher builds Capstan: wait for the server to answer, or to die. */
    private boolean awaitServer(Process server) throws Exception {
        long deadline = System.nanoTime() + FIRST_USE.toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                return false;
            }
            Matcher listening = LISTENING.matcher(Files.readString(work.resolve("local-server.log")));
            if (listening.find()) {
                apiBase = listening.group(1);
                return true;
            }
            Thread.sleep(500);
        }
        return false;
    }

    private JsonNode await(Predicate<JsonNode> condition) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = api(HttpRequest.newBuilder(URI.create(apiBase + API)).GET());
            if (response.statusCode() == 200) {
                last = JSON.readTree(response.body());
                if (condition.test(last)) {
                    return last;
                }
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("inferenceservice " + ReplicaProcess.SERVICE + " did not reach the state waited for;"
                + " last seen: " + last);
    }

    private static int readyReplicas(JsonNode service) {
        int total = 0;
        for (JsonNode r : service.path("status").path("revisions")) {
            total += r.path("readyReplicas").asInt(0);
        }
        return total;
    }

    private static int readyReplicas(JsonNode service, int revision) {
        return revisionStatus(service, revision).path("readyReplicas").asInt(0);
    }

    private static int traffic(JsonNode service, int revision) {
        return revisionStatus(service, revision).path("trafficPercent").asInt(0);
    }

    private static JsonNode revisionStatus(JsonNode service, int revision) {
        String name = Routes.revision(revision).revision();
        for (JsonNode r : service.path("status").path("revisions")) {
            if (r.path("name").asText().equals(name)) {
                return r;
            }
        }
        return JSON.createObjectNode();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
