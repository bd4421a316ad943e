package dev.capstan.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.core.serving.ReplicaEndpoint;
import dev.capstan.core.serving.RouteTable;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.ByteArrayInputStream;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** REST routing through a real gateway to real HTTP replicas on 127.0.0.1. */
class GatewayRoutingTest {
    static final int MAX_BODY = 4096;
    static TestingReplica a;
    static TestingReplica b;
    static TestingReplica c;
    static Gateway gateway;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        a = new TestingReplica("a");
        b = new TestingReplica("b");
        c = new TestingReplica("c");
        gateway = Gateway.start(GatewayConfig.loopback().withPorts(0, GatewayConfig.OFF)
                .withLimits(GatewayLimits.defaults().withMaxBodyBytes(MAX_BODY)), new TestingFeedback());
        port = gateway.restPort();
    }

    @AfterAll
    static void stop() {
        gateway.close();
        a.close();
        b.close();
        c.close();
    }

    @Test
    void routesByServicePrefixAndByModelName() throws Exception {
        gateway.update(Routes.service("team", "iris").revision("iris-predictor-00001", 100, a.endpoint())
                .and("default", "mnist").revision("mnist-predictor-00001", 100, b.endpoint()).table());

        HttpResponse<String> prefixed = Http.post(port, "/serving/team/iris/v2/models/iris/infer?x=1", "{}");
        assertEquals(200, prefixed.statusCode(), prefixed.body());
        assertTrue(prefixed.body().contains("\"id\":\"a\""), prefixed.body());
        assertEquals("/v2/models/iris/infer", a.paths.getLast(), "the replica sees the path without the service prefix");

        assertTrue(Http.post(port, "/v2/models/iris/infer", "{}", "Capstan-Namespace", "team").body().contains("\"id\":\"a\""));
        assertTrue(Http.post(port, "/v2/models/iris/infer", "{}").body().contains("\"id\":\"a\""), "the only service of that name");
        assertTrue(Http.post(port, "/v2/models/mnist/infer", "{}").body().contains("\"id\":\"b\""), "namespace default");
        assertEquals(404, Http.post(port, "/v2/models/iris/infer", "{}", "Capstan-Namespace", "other").statusCode());
    }

    @Test
    void splitsTrafficByRevisionPercent() throws Exception {
        gateway.update(Routes.service("team", "iris").revision("iris-predictor-00001", 80, a.endpoint())
                .revision("iris-predictor-00002", 20, b.endpoint()).table());
        int before = b.infers.get();
        int total = 2_000;
        for (int i = 0; i < total; i++) {
            assertEquals(200, Http.post(port, "/serving/team/iris/v2/models/iris/infer", "{}").statusCode());
        }
        int canary = b.infers.get() - before;
        assertTrue(Math.abs(canary - total * 0.20) <= total * 0.03, "canary took " + canary + " of " + total);
    }

    @Test
    void sendsToTheLeastLoadedReplica() throws Exception {
        gateway.update(Routes.service("team", "iris").revision("iris-predictor-00001", 100, a.endpoint(), b.endpoint()).table());
        int aBefore = a.infers.get();
        int bBefore = b.infers.get();
        CompletableFuture<HttpResponse<String>> held = Http.postAsync(port, "/serving/team/iris/v2/models/iris/infer", "hold");
        TestingReplica busy = awaitOne(aBefore, bBefore);
        TestingReplica free = busy == a ? b : a;
        int freeBefore = free.infers.get();
        for (int i = 0; i < 20; i++) {
            assertEquals(200, Http.post(port, "/serving/team/iris/v2/models/iris/infer", "{}").statusCode());
        }
        assertEquals(20, free.infers.get() - freeBefore, "every request while " + busy.name + " is busy goes to " + free.name);
        busy.releaseHeld();
        assertEquals(200, held.get().statusCode());
    }

    private static TestingReplica awaitOne(int aBefore, int bBefore) throws InterruptedException {
        long end = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < end) {
            if (a.infers.get() > aBefore) {
                return a;
            }
            if (b.infers.get() > bBefore) {
                return b;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("the held request reached no replica");
    }

    @Test
    void refusesUnknownServicesAndMalformedPaths() throws Exception {
        gateway.update(Routes.service("team", "iris").revision("iris-predictor-00001", 100, a.endpoint()).table());
        HttpResponse<String> unknown = Http.post(port, "/serving/team/nope/v2/models/nope/infer", "{}");
        assertEquals(404, unknown.statusCode());
        assertTrue(unknown.body().startsWith("{\"error\":"), unknown.body());
        assertEquals(404, Http.post(port, "/v2/models/nope/infer", "{}").statusCode());
        assertEquals(404, Http.get(port, "/elsewhere").statusCode());
        for (String malformed : new String[] {"/serving/team", "/serving/team/iris", "/serving/team/iris/v1/models", "/serving//iris/v2",
                "/serving/team/ir%2Fis/v2/models/x/infer", "/v2/models//infer", "/serving/../iris/v2/health/ready"}) {
            HttpResponse<String> answer = Http.get(port, malformed);
            assertEquals(400, answer.statusCode(), malformed + ": " + answer.body());
            assertTrue(answer.body().startsWith("{\"error\":"), answer.body());
        }
    }

    @Test
    void refusesOversizedBodiesBeforeAnyReachesAReplica() throws Exception {
        gateway.update(Routes.service("team", "iris").revision("iris-predictor-00001", 100, a.endpoint()).table());
        int before = a.paths.size();
        HttpResponse<String> declared = Http.post(port, "/serving/team/iris/v2/models/iris/infer", "x".repeat(MAX_BODY + 1));
        assertEquals(413, declared.statusCode());
        assertTrue(declared.body().startsWith("{\"error\":"), declared.body());
        InputStream endless = new ByteArrayInputStream(new byte[MAX_BODY * 4]);
        HttpRequest chunked = Http.request(port, "/serving/team/iris/v2/models/iris/infer")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> endless)).build();
        assertEquals(413, Http.CLIENT.send(chunked, HttpResponse.BodyHandlers.ofString()).statusCode());
        HttpResponse<String> headers = Http.CLIENT.send(Http.request(port, "/serving/team/iris/v2/models/iris/infer")
                .header("X-Big", "y".repeat(GatewayLimits.DEFAULT_MAX_HEADER_BYTES + 1)).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(431, headers.statusCode());
        assertEquals(before, a.paths.size(), "the replica saw none of these requests");
        assertEquals(200, Http.post(port, "/serving/team/iris/v2/models/iris/infer", "x".repeat(MAX_BODY)).statusCode());
    }

    @Test
    void triesAnotherReplicaWhenOneRefusesConnections() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        ReplicaEndpoint dead = new ReplicaEndpoint("dead", "127.0.0.1", closedPort, 0);
        gateway.update(Routes.service("team", "iris").revision("iris-predictor-00001", 100, dead, c.endpoint()).table());
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> answer = Http.post(port, "/serving/team/iris/v2/models/iris/infer", "{}");
            assertEquals(200, answer.statusCode(), answer.body());
            assertTrue(answer.body().contains("\"id\":\"c\""));
        }
        gateway.update(Routes.service("team", "iris").revision("iris-predictor-00001", 100, dead).table());
        HttpResponse<String> nowhere = Http.post(port, "/serving/team/iris/v2/models/iris/infer", "{}");
        assertEquals(502, nowhere.statusCode());
        assertTrue(nowhere.body().startsWith("{\"error\":"), nowhere.body());
    }

    @Test
    void passesReplicaErrorsThroughUnchanged() throws Exception {
        gateway.update(Routes.service("team", "iris").revision("iris-predictor-00001", 100, a.endpoint()).table());
        HttpResponse<String> answer = Http.post(port, "/serving/team/iris/v2/models/iris/infer", "bad");
        assertEquals(400, answer.statusCode());
        assertEquals("{\"error\":\"input 'x' from a has the wrong shape\"}", answer.body());
        assertEquals("application/json", answer.headers().firstValue("content-type").orElse(""));
    }

    @Test
    void answersHealthItselfAndPerService() throws Exception {
        gateway.update(Routes.service("team", "iris").revision("iris-predictor-00001", 100, a.endpoint())
                .and("team", "cold").revision("cold-predictor-00001", 100).table());
        assertEquals(200, Http.get(port, "/v2/health/live").statusCode());
        assertEquals(200, Http.get(port, "/v2/health/ready").statusCode());
        assertEquals(200, Http.get(port, "/serving/team/iris/v2/health/ready").statusCode());
        HttpResponse<String> cold = Http.get(port, "/serving/team/cold/v2/health/ready");
        assertEquals(503, cold.statusCode());
        assertEquals("{\"ready\":false}", cold.body());
        assertEquals(404, Http.get(port, "/serving/team/gone/v2/health/ready").statusCode());
        gateway.update(RouteTable.empty());
        gateway.update(RouteTable.empty());
        assertEquals(404, Http.get(port, "/serving/team/iris/v2/health/ready").statusCode());
    }
}
