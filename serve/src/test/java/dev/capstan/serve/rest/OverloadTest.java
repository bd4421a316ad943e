package dev.capstan.serve.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.serve.Http;
import dev.capstan.serve.ModelServer;
import dev.capstan.serve.ServerConfig;
import dev.capstan.serve.TestingModels;
import dev.capstan.serve.batch.Batcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A full queue answers 429 with Retry-After and recovers; a request past its timeout answers 504. */
class OverloadTest {
    private static final String BODY = "{\"inputs\":[{\"name\":\"in_x\",\"shape\":[1,2],\"datatype\":\"FP32\",\"data\":[1,2]}]}";

    @Test
    void fullQueueIs429ThenRecovers() throws Exception {
        Path temp = Files.createTempDirectory("overload");
        Path model = TestingModels.echo(temp, "slow", 1500, "{maxQueue: 1, workers: 1}");
        try (ModelServer server = ModelServer.start(ServerConfig.defaults().withHost("127.0.0.1").withPorts(0, -1),
                List.of(new ModelServer.ModelSource(model, null)))) {
            int port = server.httpPort();
            Batcher batcher = server.dispatcher().models().find("slow", null).batcher();
            CompletableFuture<Http.Reply> running = CompletableFuture.supplyAsync(() -> post(port));
            await(() -> batcher.pending() == 1 && batcher.queueDepth() == 0);
            CompletableFuture<Http.Reply> queued = CompletableFuture.supplyAsync(() -> post(port));
            await(() -> batcher.queueDepth() == 1);
            Http.Reply refused = post(port);
            assertEquals(429, refused.status(), refused.text());
            assertEquals("1", refused.headers().firstValue("retry-after").orElse(null));
            assertTrue(refused.json().get("error").asText().contains("retry"));
            assertEquals(200, running.get(30, TimeUnit.SECONDS).status());
            assertEquals(200, queued.get(30, TimeUnit.SECONDS).status());
            assertEquals(200, post(port).status(), "recovers once the queue has room");
        }
    }

    @Test
    void requestPastItsTimeoutIs504() throws Exception {
        Path temp = Files.createTempDirectory("timeout");
        Path model = TestingModels.echo(temp, "slow", 2000, "{timeout: 100ms, workers: 1}");
        try (ModelServer server = ModelServer.start(ServerConfig.defaults().withHost("127.0.0.1").withPorts(0, -1),
                List.of(new ModelServer.ModelSource(model, null)))) {
            Http.Reply reply = post(server.httpPort());
            assertEquals(504, reply.status(), reply.text());
            assertTrue(reply.json().get("error").isTextual());
        }
    }

    private static Http.Reply post(int port) {
        try {
            return Http.post(port, "/v2/models/slow/infer", BODY);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < end, "condition not reached");
            Thread.sleep(5);
        }
    }
}
