package dev.capstan.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** SIGTERM to a real server process: every accepted request is answered before it exits. */
class DrainOnSigtermTest {
    private static final int REQUESTS = 6;

    @Test
    void sigtermDrainsAcceptedRequests() throws Exception {
        Path temp = Files.createTempDirectory("drain");
        Path model = TestingModels.echo(temp, "slow", 300, "{workers: 1, maxQueue: 64}");
        String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classpath, "-Dai.djl.offline=true", ServeMain.class.getName(),
                "--model-dir", model.toString(), "--host", "127.0.0.1", "--port", "0", "--grpc-port", "0")
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String ready = out.readLine();
            while (ready != null && !ready.startsWith("capstan-serve ready")) {
                ready = out.readLine();
            }
            assertTrue(ready != null, "server printed its ready line");
            int port = Integer.parseInt(ready.replaceAll(".*rest=(\\d+).*", "$1"));
            String body = "{\"inputs\":[{\"name\":\"in_x\",\"shape\":[1,2],\"datatype\":\"FP32\",\"data\":[1,2]}]}";
            List<CompletableFuture<Http.Reply>> replies = new ArrayList<>();
            for (int i = 0; i < REQUESTS; i++) {
                replies.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return Http.post(port, "/v2/models/slow/infer", body);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            awaitInFlight(port, REQUESTS);
            server.destroy(); // SIGTERM
            for (CompletableFuture<Http.Reply> reply : replies) {
                Http.Reply answer = reply.get(60, TimeUnit.SECONDS);
                assertEquals(200, answer.status(), answer.text());
            }
            assertTrue(server.waitFor(60, TimeUnit.SECONDS), "server exits after draining");
        } finally {
            server.destroyForcibly();
        }
    }

    private static void awaitInFlight(int port, int count) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < end) {
            String metrics = Http.get(port, "/metrics").text();
            if (metrics.contains("capstan_serve_inflight_requests " + count + "\n")) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("requests never all arrived");
    }
}
