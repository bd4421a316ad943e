package dev.capstan.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.serve.grpc.proto.GRPCInferenceServiceGrpc;
import dev.capstan.serve.grpc.proto.ModelInferRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Requests as careless or hostile clients write them, on raw sockets: each gets a clear answer, and a replica sees none it should not. */
class MalformedRequestTest {
    static final int MAX_BODY = 4096;
    static final Duration WAIT = Duration.ofSeconds(60);
    static TestingReplica replica;
    static Gateway gateway;

    @BeforeAll
    static void start() throws Exception {
        replica = new TestingReplica("a");
        gateway = Gateway.start(GatewayConfig.loopback().withLimits(GatewayLimits.defaults().withMaxBodyBytes(MAX_BODY)), new TestingFeedback());
        gateway.update(Routes.service("team", "iris").revision("iris-predictor-00001", 100, replica.endpoint()).table());
    }

    @AfterAll
    static void stop() {
        gateway.close();
        replica.close();
    }

    @Test
    void pathsWithDotSegmentsAreRefusedNotPassedOn() throws Exception {
        int before = replica.paths.size();
        for (String path : new String[] {"/serving/team/iris/v2/../../metrics", "/serving/team/iris/v2/models/%2e%2E/x",
                "/v2/models/iris/../../health/live", "/serving/team/iris/v2/./models/iris", "/v2/models/iris/%2E/infer"}) {
            RawHttp.Reply reply = RawHttp.exchange(gateway.restPort(), "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", WAIT);
            assertEquals("HTTP/1.1 400 Bad Request", reply.statusLine(), path + ": " + reply.text());
            assertTrue(reply.body().startsWith("{\"error\":\"the path holds a '"), reply.body());
        }
        assertEquals(before, replica.paths.size(), "the replica saw none of them");
    }

    @Test
    void anHttp10ClientAskingForKeepAliveIsToldTheConnectionStaysOpen() throws Exception {
        String keepAlive = "GET /v2/health/live HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
                + "POST /serving/team/iris/v2/models/iris/infer HTTP/1.0\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\n{}";
        RawHttp.Reply reply = RawHttp.exchange(gateway.restPort(), keepAlive + "GET /v2/health/live HTTP/1.0\r\n\r\n", WAIT);
        assertTrue(reply.closed(), "the last request asked for no keep-alive: " + reply.text());
        String[] answers = reply.text().split("(?=HTTP/1\\.1 )");
        assertEquals(3, answers.length, reply.text());
        for (int i = 0; i < 2; i++) {
            assertTrue(answers[i].toLowerCase().contains("\r\nconnection: keep-alive\r\n"), answers[i]);
        }
        assertTrue(answers[2].toLowerCase().contains("\r\nconnection: close\r\n"), answers[2]);
    }

    @Test
    void expectContinueForABodyOverTheLimitGets413WithAnErrorAndAnUnknownExpectationIsIgnored() throws Exception {
        RawHttp.Reply tooLarge = RawHttp.exchange(gateway.restPort(), "POST /serving/team/iris/v2/models/iris/infer HTTP/1.1\r\nHost: x\r\n"
                + "Expect: 100-continue\r\nContent-Length: " + (MAX_BODY + 1) + "\r\n\r\n", WAIT);
        assertEquals("HTTP/1.1 413 Request Entity Too Large", tooLarge.statusLine(), tooLarge.text());
        assertTrue(tooLarge.body().startsWith("{\"error\":"), tooLarge.text());
        assertTrue(tooLarge.closed(), tooLarge.text());

        RawHttp.Reply odd = RawHttp.exchange(gateway.restPort(), "POST /serving/team/iris/v2/models/iris/infer HTTP/1.1\r\nHost: x\r\n"
                + "Expect: something-else\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}", WAIT);
        assertEquals("HTTP/1.1 200 OK", odd.statusLine(), odd.text());
    }

    @Test
    void aGrpcModelNameThatCannotBeAServiceIsRefusedWithAShortReason() throws Exception {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", gateway.grpcPort()).usePlaintext().build();
        try {
            var stub = GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
            for (String name : new String[] {"x".repeat(MAX_BODY - 100), "iris\n", "../iris", "ïris"}) {
                StatusRuntimeException refused = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                        () -> stub.modelInfer(ModelInferRequest.newBuilder().setModelName(name).build()));
                assertEquals(Status.Code.INVALID_ARGUMENT, refused.getStatus().getCode(), refused.getStatus().toString());
                assertTrue(refused.getStatus().getDescription().startsWith("model name "), refused.getStatus().getDescription());
                assertTrue(refused.getStatus().getDescription().length() < 200, refused.getStatus().getDescription());
            }
        } finally {
            channel.shutdownNow();
        }
    }
}
