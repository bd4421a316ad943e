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
 * reconcile, admission, the replica's start and probe, the route), once with no standby (each
 * replica a new process) and once with the default one standby (waited for before each request).
 * Rollout, in the second server: REST at concurrency 16
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
        for (int standbys : new int[] {0, 1}) {
            Path home = work.resolve("local-home");
            deleteTree(home);
            Files.createDirectories(home);
            new LocalMode(launcher, home, work).measure(seconds, standbys);
        }
    }

    /** Cold starts with {@code standbys} warm standbys; the rollout once, with the default of one. */
    private void measure(int seconds, int standbys) throws Exception {
        Path log = work.resolve("local-server-" + standbys + ".log");
        Process server = command("server", "--gateway-port", Integer.toString(freePort()), "--serving-standbys",
                Integer.toString(standbys)).redirectOutput(log.toFile()).redirectErrorStream(true).start();
        try {
            if (!awaitServer(server, log)) {
                System.out.println("  skip: local mode (capstan server did not start; see " + log + " and cli/target/build.log)");
                return;
            }
            apply("v1", null);
            String url = await(s -> readyReplicas(s) > 0 && !s.path("status").path("url").asText().isEmpty())
                    .path("status").path("url").asText();
            coldStarts(url, standbys, log);
            if (standbys > 0) {
                rollout(url, seconds);
            }
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

    /**
     * Cold starts, each split by the server's own account (its log): with no standby, the replica's
     * process start to its first ready answer; with one, the load call that gave the standby the
     * model. The rest is the activator, the control loop, the probe, the route and the first infer.
     * Then one more request, to the replica now warm, for comparison.
     */
    private void coldStarts(String url, int standbys, Path log) throws Exception {
        byte[] body = Files.readAllBytes(work.resolve("request-784.json"));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/v2/models/" + ReplicaProcess.SERVICE + "/infer"))
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(120))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        String part = standbys == 0 ? "process->ready" : "load call";
        System.out.printf(Locale.ROOT, "cold starts with --serving-standbys %d (%s)%n", standbys,
                standbys == 0 ? "each replica a new capstan serve process" : "a waiting standby loads the model");
        System.out.printf(Locale.ROOT, "%-4s %9s %14s %15s %15s %12s%n", "run", "total ms", "req->ready ms", "of it " + part,
                "ready->resp ms", "next req ms");
        List<Double> totals = new ArrayList<>();
        for (int i = 1; i <= COLD_STARTS; i++) {
            await(s -> readyReplicas(s) == 0);
            if (standbys > 0) {
                awaitStandby(log);
            }
            long logFrom = Files.size(log);
            long sentWall = System.currentTimeMillis();
            long sent = System.nanoTime();
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            double millis = (System.nanoTime() - sent) / 1e6;
            if (response.statusCode() != 200) {
                throw new IllegalStateException("the first request got " + response.statusCode() + ": " + response.body());
            }
            long nextSent = System.nanoTime();
            client.send(request, HttpResponse.BodyHandlers.ofString());
            double next = (System.nanoTime() - nextSent) / 1e6;
            double[] replica = replicaAccount(log, logFrom);
            double toReady = replica[0] - sentWall;
            totals.add(millis);
            System.out.printf(Locale.ROOT, "%-4s %9.0f %14.0f %15.0f %15.0f %12.1f%n", "#" + i, millis, toReady, replica[1],
                    millis - toReady, next);
        }
        System.out.printf(Locale.ROOT, "local-mode cold start with --serving-standbys %d, median of %d: %.0f ms%n", standbys,
                totals.size(), totals.stream().sorted().toList().get(totals.size() / 2));
    }

    private static final Pattern REPLICA_TIME = Pattern.compile(
            "(\\S+Z) serving replica on port \\d+ ready(?: (\\d+) ms after its process started|: a standby loaded model \\S+ in (\\d+) ms)");

    /**
     * The server's account of the last cold start's replica, from its log after {@code from}: when
     * it was found ready (epoch ms) and how long its own part took (the process's start to its first
     * ready answer, whose start time /proc gives to about a second; or the load call). NaN when absent.
     */
    private static double[] replicaAccount(Path log, long from) throws IOException {
        byte[] all = Files.readAllBytes(log);
        Matcher m = REPLICA_TIME.matcher(new String(all, (int) Math.min(from, all.length), (int) Math.max(0, all.length - from),
                java.nio.charset.StandardCharsets.UTF_8));
        double[] found = {Double.NaN, Double.NaN};
        while (m.find()) {
            found[0] = java.time.Instant.parse(m.group(1)).toEpochMilli();
            found[1] = Double.parseDouble(m.group(2) != null ? m.group(2) : m.group(3));
        }
        return found;
    }

    /** Waits until a standby of the server is warm (its warm-up load done, by the server's log): the state a user's next cold start finds. */
    private void awaitStandby(Path log) throws Exception {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        Path pool = home.resolve("serving").resolve("standby");
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(pool)) {
                String said = Files.readString(log);
                try (Stream<Path> slots = Files.list(pool)) {
                    for (Path slot : slots.filter(p -> Files.exists(p.resolve("standby.json"))).toList()) {
                        int port = JSON.readTree(slot.resolve("standby.json").toFile()).path("restPort").asInt();
                        if (said.contains("serving standby on port " + port + " warmed") && answersReady(port)) {
                            return;
                        }
                    }
                } catch (IOException e) {
                    // a slot taken or ended while listed: look again
                }
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("no standby became warm under " + pool);
    }

    private boolean answersReady(int port) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/health/ready"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
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
    private boolean awaitServer(Process server, Path log) throws Exception {
        long deadline = System.nanoTime() + FIRST_USE.toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                return false;
            }
            Matcher listening = LISTENING.matcher(Files.readString(log));
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
