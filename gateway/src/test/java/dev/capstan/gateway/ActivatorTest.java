package dev.capstan.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.core.serving.RevisionKey;
import dev.capstan.core.serving.RevisionLoad;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** Requests for a revision at zero wait in the activator, bounded in number and time; load is reported each second. */
class ActivatorTest {
    static final String INFER = "/serving/team/iris/v2/models/iris/infer";
    static final RevisionKey REVISION = new RevisionKey("team", "iris", "iris-predictor-00001");

    @Test
    void holdsRequestsAtZeroAsksForAReplicaAndReleasesThemInOrder() throws Exception {
        TestingFeedback feedback = new TestingFeedback();
        try (TestingReplica replica = new TestingReplica("a");
             Gateway gateway = Gateway.start(GatewayConfig.loopback().withPorts(0, GatewayConfig.OFF), feedback)) {
            gateway.update(Routes.service("team", "iris").revision(REVISION.revision(), 100).table());
            List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                waiting.add(Http.postAsync(gateway.restPort(), INFER, "{}"));
            }
            await(() -> !feedback.scaleUps.isEmpty(), "a scale-from-zero call");
            assertEquals(REVISION, feedback.scaleUps.peek());
            assertFalse(waiting.stream().anyMatch(CompletableFuture::isDone), "nothing is answered before a replica is ready");

            gateway.update(Routes.service("team", "iris").revision(REVISION.revision(), 100, replica.endpoint()).table());
            for (CompletableFuture<HttpResponse<String>> answer : waiting) {
                assertEquals(200, answer.get().statusCode(), answer.get().body());
            }
            assertEquals(3, replica.infers.get());
            assertTrue(feedback.scaleUps.size() <= 3, "asked at most once a second: " + feedback.scaleUps);
        }
    }

    @Test
    void aFullBufferAnswers503WithRetryAfter() throws Exception {
        try (TestingReplica replica = new TestingReplica("a");
             Gateway gateway = Gateway.start(GatewayConfig.loopback().withPorts(0, GatewayConfig.OFF)
                     .withLimits(GatewayLimits.defaults().withActivator(2, Duration.ofSeconds(120))), new TestingFeedback())) {
            gateway.update(Routes.service("team", "iris").revision(REVISION.revision(), 100).table());
            CompletableFuture<HttpResponse<String>> first = Http.postAsync(gateway.restPort(), INFER, "{}");
            CompletableFuture<HttpResponse<String>> second = Http.postAsync(gateway.restPort(), INFER, "{}");
            await(() -> metric(gateway, "capstan_gateway_activator_waiting_requests{").endsWith(" 2"), "two requests waiting");
            HttpResponse<String> refused = Http.post(gateway.restPort(), INFER, "{}");
            assertEquals(503, refused.statusCode());
            assertEquals("1", refused.headers().firstValue("retry-after").orElse(""));
            assertTrue(refused.body().startsWith("{\"error\":"), refused.body());

            gateway.update(Routes.service("team", "iris").revision(REVISION.revision(), 100, replica.endpoint()).table());
            assertEquals(200, first.get().statusCode());
            assertEquals(200, second.get().statusCode());
        }
    }

    @Test
    void waitingPastTheTimeoutAnswers503WithRetryAfter() throws Exception {
        try (Gateway gateway = Gateway.start(GatewayConfig.loopback().withPorts(0, GatewayConfig.OFF)
                .withLimits(GatewayLimits.defaults().withActivator(10, Duration.ofMillis(300))), new TestingFeedback())) {
            gateway.update(Routes.service("team", "iris").revision(REVISION.revision(), 100).table());
            HttpResponse<String> answer = Http.post(gateway.restPort(), INFER, "{}");
            assertEquals(503, answer.statusCode());
            assertEquals("1", answer.headers().firstValue("retry-after").orElse(""));
            assertTrue(answer.body().contains("became ready within 300 ms"), answer.body());
            assertTrue(metric(gateway, "capstan_gateway_activator_waiting_requests{").endsWith(" 0"));
        }
    }

    @Test
    void aClientThatGoesAwayLeavesTheBuffer() throws Exception {
        try (Gateway gateway = Gateway.start(GatewayConfig.loopback().withPorts(0, GatewayConfig.OFF), new TestingFeedback())) {
            gateway.update(Routes.service("team", "iris").revision(REVISION.revision(), 100).table());
            try (Socket client = new Socket("127.0.0.1", gateway.restPort())) {
                client.getOutputStream().write(("POST " + INFER + " HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")
                        .getBytes(StandardCharsets.US_ASCII));
                await(() -> metric(gateway, "capstan_gateway_activator_waiting_requests{").endsWith(" 1"), "the request waiting");
            }
            await(() -> metric(gateway, "capstan_gateway_activator_waiting_requests{").endsWith(" 0"), "the waiter removed");
            await(() -> metric(gateway, "capstan_gateway_requests_total{").endsWith("code=\"499\"} 1"), "the request counted as gone");
        }
    }

    @Test
    void requestsWaitingForARevisionARolloutRemovesGoToTheRevisionThatReplacesIt() throws Exception {
        TestingFeedback feedback = new TestingFeedback();
        try (TestingReplica replica = new TestingReplica("new");
             Gateway gateway = Gateway.start(GatewayConfig.loopback().withPorts(0, GatewayConfig.OFF), feedback)) {
            gateway.update(Routes.service("team", "iris").revision(REVISION.revision(), 100).table());
            List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                waiting.add(Http.postAsync(gateway.restPort(), INFER, "{}"));
            }
            await(() -> metric(gateway, "capstan_gateway_activator_waiting_requests{").endsWith(" 3"), "three requests waiting");

            gateway.update(Routes.service("team", "iris").revision("iris-predictor-00002", 100, replica.endpoint()).table());
            for (CompletableFuture<HttpResponse<String>> answer : waiting) {
                assertEquals(200, answer.get().statusCode(), answer.get().body());
                assertTrue(answer.get().body().contains("\"id\":\"new\""), answer.get().body());
            }
            String labels = "namespace=\"team\",service=\"iris\",revision=\"iris-predictor-00002\"";
            await(() -> metric(gateway, "capstan_gateway_inflight_requests{").equals("capstan_gateway_inflight_requests{" + labels + "} 0"),
                    "nothing left in flight");
            assertEquals("capstan_gateway_requests_total{" + labels + ",code=\"200\"} 3", metric(gateway, "capstan_gateway_requests_total{"));

            gateway.update(Routes.service("team", "iris").revision("iris-predictor-00003", 100).table());
            CompletableFuture<HttpResponse<String>> gone = Http.postAsync(gateway.restPort(), INFER, "{}");
            await(() -> metric(gateway, "capstan_gateway_activator_waiting_requests{").endsWith(" 1"), "a request waiting");
            gateway.update(dev.capstan.core.serving.RouteTable.empty());
            assertEquals(503, gone.get().statusCode(), "with the service gone, a waiting request is refused");
        }
    }

    @Test
    void closingAnswersWaitingRequestsWith503() throws Exception {
        Gateway gateway = Gateway.start(GatewayConfig.loopback().withPorts(0, GatewayConfig.OFF), new TestingFeedback());
        gateway.update(Routes.service("team", "iris").revision(REVISION.revision(), 100).table());
        CompletableFuture<HttpResponse<String>> waiting = Http.postAsync(gateway.restPort(), INFER, "{}");
        await(() -> metric(gateway, "capstan_gateway_activator_waiting_requests{").endsWith(" 1"), "the request waiting");
        gateway.close();
        assertEquals(503, waiting.get().statusCode());
        assertEquals("1", waiting.get().headers().firstValue("retry-after").orElse(""));
    }

    @Test
    void reportsEachRevisionsLoadEverySecond() throws Exception {
        TestingFeedback feedback = new TestingFeedback();
        try (TestingReplica replica = new TestingReplica("a");
             Gateway gateway = Gateway.start(GatewayConfig.loopback().withPorts(0, GatewayConfig.OFF), feedback)) {
            gateway.update(Routes.service("team", "iris").revision(REVISION.revision(), 100, replica.endpoint()).table());
            CompletableFuture<HttpResponse<String>> held = Http.postAsync(gateway.restPort(), INFER, "hold");
            await(() -> feedback.loads.stream().anyMatch(l -> l.key().equals(REVISION) && l.averageConcurrency() > 0.5),
                    "a report with the held request in flight");
            replica.releaseHeld();
            assertEquals(200, held.get().statusCode());
            for (int i = 0; i < 20; i++) {
                Http.post(gateway.restPort(), INFER, "{}");
            }
            await(() -> feedback.loads.stream().anyMatch(l -> l.key().equals(REVISION) && l.requestsPerSecond() > 0 && l.averageConcurrency() < 1),
                    "a report with the request rate");
            for (RevisionLoad load : feedback.loads) {
                assertEquals(0, load.waiting());
            }
        }
    }

    static String metric(Gateway gateway, String prefix) {
        try {
            String text = Http.get(gateway.restPort(), "/metrics").body();
            return text.lines().filter(l -> l.startsWith(prefix)).findFirst().orElse("");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }
}
