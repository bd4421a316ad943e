package dev.capstan.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.core.serving.RevisionKey;
import dev.capstan.serve.grpc.proto.GRPCInferenceServiceGrpc;
import dev.capstan.serve.grpc.proto.ModelInferRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Replicas that break HTTP's framing, answer garbage part way or never answer: the client gets a
 * whole answer, a cut-off connection or a 504, within the bound, and never a hang.
 */
class MisbehavingReplicaTest {
    static final String INFER = "/serving/team/iris/v2/models/iris/infer";
    static final String POST = "POST " + INFER + " HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}";
    static final Duration WAIT = Duration.ofSeconds(60);
    static Gateway gateway;

    @BeforeAll
    static void start() throws Exception {
        gateway = Gateway.start(GatewayConfig.loopback().withLimits(GatewayLimits.defaults().withReplicaTimeout(Duration.ofSeconds(1))),
                new TestingFeedback());
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static void route(TestingRawReplica replica) {
        route(replica, "iris-predictor-00001");
    }

    private static String scrape() {
        try {
            return Http.get(gateway.restPort(), "/metrics").body();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** A revision of its own starts with counters of its own. */
    private static void route(TestingRawReplica replica, String revision) {
        gateway.update(Routes.service("team", "iris").revision(revision, 100, replica.endpoint("raw")).table());
    }

    @Test
    void anAnswerTheReplicaEndsByClosingReachesAKeepAliveClientChunked() throws Exception {
        try (TestingRawReplica replica = new TestingRawReplica("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nclose-delimited", true)) {
            route(replica);
            RawHttp.Reply reply = RawHttp.exchange(gateway.restPort(),
                    POST + "GET /v2/health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", WAIT);
            assertTrue(reply.closed(), reply.text());
            assertTrue(reply.hasHeader("transfer-encoding: chunked"), reply.text());
            assertTrue(reply.text().contains("\r\n\r\nf\r\nclose-delimited\r\n0\r\n\r\nHTTP/1.1 200 OK"), reply.text());
            assertTrue(reply.text().endsWith("{\"live\":true}"), "the next request on the connection is answered: " + reply.text());
        }
    }

    @Test
    void anHttp10ClientGetsAnswersWithoutALengthOrInChunksDelimitedByClose() throws Exception {
        try (TestingRawReplica replica = new TestingRawReplica("HTTP/1.0 200 OK\r\n\r\nold-replica", true)) {
            route(replica);
            RawHttp.Reply reply = RawHttp.exchange(gateway.restPort(),
                    "POST " + INFER + " HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\n{}", WAIT);
            assertTrue(reply.closed(), "the close ends the answer: " + reply.text());
            assertTrue(reply.hasHeader("connection: close"), reply.text());
            assertEquals("old-replica", reply.body());
        }
        try (TestingRawReplica replica = new TestingRawReplica("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", false)) {
            route(replica);
            RawHttp.Reply reply = RawHttp.exchange(gateway.restPort(), "POST " + INFER + " HTTP/1.0\r\nContent-Length: 2\r\n\r\n{}", WAIT);
            assertTrue(reply.closed(), reply.text());
            assertFalse(reply.hasHeader("transfer-encoding: chunked"), "HTTP/1.0 has no chunks: " + reply.text());
            assertEquals("hello", reply.body());
        }
    }

    @Test
    void interimAnswersAreNotTakenForTheAnswerSoTheNextRequestGetsItsOwn() throws Exception {
        try (TestingRawReplica replica = new TestingRawReplica("HTTP/1.1 103 Early Hints\r\nLink: </m>\r\n\r\n"
                + "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfinal", false)) {
            route(replica);
            RawHttp.Reply reply = RawHttp.exchange(gateway.restPort(),
                    POST + "GET /v2/health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", WAIT);
            assertTrue(reply.closed(), reply.text());
            assertEquals("HTTP/1.1 200 OK", reply.statusLine(), reply.text());
            assertTrue(reply.text().contains("\r\n\r\nfinalHTTP/1.1 200 OK"), reply.text());
            assertTrue(reply.text().endsWith("{\"live\":true}"), reply.text());
        }
    }

    @Test
    void anAnswerThatTurnsMalformedIsCutOffNotPassedOnAsWhole() throws Exception {
        try (TestingRawReplica replica = new TestingRawReplica(
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nZZ\r\nworld\r\n0\r\n\r\n", false)) {
            route(replica);
            RawHttp.Reply reply = RawHttp.exchange(gateway.restPort(), POST, WAIT);
            assertTrue(reply.closed(), reply.text());
            assertFalse(reply.text().contains("\r\n0\r\n\r\n"), "no last chunk makes the broken answer look whole: " + reply.text());
        }
    }

    @Test
    void aReplicaThatNeverAnswersGets504WithAnError() throws Exception {
        try (TestingRawReplica replica = new TestingRawReplica("", false)) {
            route(replica);
            HttpResponse<String> answer = Http.postAsync(gateway.restPort(), INFER, "{}").get(60, TimeUnit.SECONDS);
            assertEquals(504, answer.statusCode());
            assertTrue(answer.body().startsWith("{\"error\":\"replica raw"), answer.body());
            assertTrue(answer.body().contains("did not answer within 1000 ms"), answer.body());
            assertTrue(ActivatorTest.metric(gateway, "capstan_gateway_inflight_requests{").endsWith(" 0"));
        }
    }

    @Test
    void aReplicaThatStallsPartWayIsCutOff() throws Exception {
        try (TestingRawReplica replica = new TestingRawReplica("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npart", false)) {
            route(replica, "iris-predictor-00002");
            RawHttp.Reply reply = RawHttp.exchange(gateway.restPort(), POST, WAIT);
            assertTrue(reply.closed(), reply.text());
            assertTrue(reply.text().endsWith("\r\n\r\npart"), reply.text());
            ActivatorTest.await(() -> scrape().contains(
                    "capstan_gateway_requests_total{namespace=\"team\",service=\"iris\",revision=\"iris-predictor-00002\",code=\"504\"} 1\n"),
                    "the cut-off answer counted as 504, not as the 200 it began with");
        }
    }

    @Test
    void aGrpcCallToAReplicaThatNeverAnswersEndsAtTheBound() throws Exception {
        try (TestingRawReplica replica = new TestingRawReplica("", false)) {
            route(replica);
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", gateway.grpcPort()).usePlaintext().build();
            try {
                var stub = GRPCInferenceServiceGrpc.newBlockingStub(channel); // no deadline of its own
                var call = CompletableFuture.supplyAsync(() -> stub.modelInfer(ModelInferRequest.newBuilder().setModelName("iris").build()));
                ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, () -> call.get(60, TimeUnit.SECONDS));
                assertEquals(Status.Code.DEADLINE_EXCEEDED, ((StatusRuntimeException) failed.getCause()).getStatus().getCode());
            } finally {
                channel.shutdownNow();
            }
        }
    }

    @Test
    void aRoutesOwnTimeoutBoundsTheWaitWithAGraceForTheReplicasOwnAnswer() {
        RevisionState revision = new RevisionState(new RevisionKey("team", "iris", "iris-predictor-00001"), 10, Duration.ofSeconds(1), key -> { });
        assertEquals(Duration.ofSeconds(1).toNanos(), revision.answerTimeoutNanos(), "no route yet: the gateway's bound");
        revision.assign(List.of(), 0, Duration.ofSeconds(7), null);
        assertEquals(Duration.ofSeconds(7).plus(RevisionState.REPLICA_TIMEOUT_GRACE).toNanos(), revision.answerTimeoutNanos());
        revision.assign(List.of(), 0, Duration.ZERO, null);
        assertEquals(Duration.ofSeconds(1).toNanos(), revision.answerTimeoutNanos(), "a route without a timeout: the gateway's bound");
    }
}
