package dev.capstan.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.core.serving.ReplicaEndpoint;
import dev.capstan.serve.grpc.proto.GRPCInferenceServiceGrpc;
import dev.capstan.serve.grpc.proto.ModelInferRequest;
import dev.capstan.serve.grpc.proto.ModelInferResponse;
import dev.capstan.serve.grpc.proto.ServerLiveRequest;
import dev.capstan.serve.grpc.proto.ServerReadyRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** gRPC through the gateway with a real grpc-java client, and the metrics a scrape shows. */
class GrpcAndMetricsTest {
    @Test
    void forwardsUnaryCallsByModelNameAndAnswersHealthItself() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        try (TestingReplica replica = new TestingReplica("a");
             Gateway gateway = Gateway.start(GatewayConfig.loopback(), new TestingFeedback())) {
            ReplicaEndpoint dead = new ReplicaEndpoint("dead", "127.0.0.1", closedPort, closedPort);
            gateway.update(Routes.service("team", "iris").revision("iris-predictor-00001", 100, dead, replica.endpoint())
                    .and("team", "cold").revision("cold-predictor-00001", 100).table());
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", gateway.grpcPort()).usePlaintext().build();
            try {
                var stub = GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
                assertTrue(stub.serverLive(ServerLiveRequest.getDefaultInstance()).getLive());
                assertTrue(stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady());
                for (int i = 0; i < 10; i++) {
                    ModelInferResponse answer = stub.modelInfer(ModelInferRequest.newBuilder().setModelName("iris").setId("q" + i).build());
                    assertEquals("a", answer.getId(), "answered by the live replica, the dead one retried past");
                    assertEquals("iris", answer.getModelName());
                }
                Metadata namespace = new Metadata();
                namespace.put(Metadata.Key.of("capstan-namespace", Metadata.ASCII_STRING_MARSHALLER), "team");
                assertEquals("a", stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(namespace))
                        .modelInfer(ModelInferRequest.newBuilder().setModelName("iris").build()).getId());
                StatusRuntimeException unknown = assertThrows(StatusRuntimeException.class,
                        () -> stub.modelInfer(ModelInferRequest.newBuilder().setModelName("nope").build()));
                assertEquals(io.grpc.Status.Code.NOT_FOUND, unknown.getStatus().getCode());

                var waiting = CompletableFuture.supplyAsync(() -> stub.modelInfer(ModelInferRequest.newBuilder().setModelName("cold").build()));
                ActivatorTest.await(() -> ActivatorTest.metric(gateway, "capstan_gateway_activator_waiting_requests{namespace=\"team\",service=\"cold\"")
                        .endsWith(" 1"), "the call for cold waiting");
                gateway.update(Routes.service("team", "iris").revision("iris-predictor-00001", 100, replica.endpoint())
                        .and("team", "cold").revision("cold-predictor-00001", 100, replica.endpoint()).table());
                assertEquals("cold", waiting.get(60, TimeUnit.SECONDS).getModelName());
            } finally {
                channel.shutdownNow();
            }
            String text = Http.get(gateway.restPort(), "/metrics").body();
            assertTrue(text.contains("capstan_gateway_requests_total{namespace=\"team\",service=\"iris\",revision=\"iris-predictor-00001\",code=\"200\"} 11"), text);
            assertTrue(text.contains("capstan_gateway_request_duration_seconds_count{namespace=\"team\",service=\"cold\",revision=\"cold-predictor-00001\"} 1"), text);
        }
    }

    @Test
    void metricsPassPromtool() throws Exception {
        try (TestingReplica replica = new TestingReplica("a");
             Gateway gateway = Gateway.start(GatewayConfig.loopback().withPorts(0, GatewayConfig.OFF), new TestingFeedback())) {
            gateway.update(Routes.service("team", "iris").revision("iris-predictor-00001", 100, replica.endpoint()).table());
            int port = gateway.restPort();
            for (int i = 0; i < 3; i++) {
                assertEquals(200, Http.post(port, "/serving/team/iris/v2/models/iris/infer", "{}").statusCode());
            }
            assertEquals(400, Http.post(port, "/serving/team/iris/v2/models/iris/infer", "bad").statusCode());
            assertEquals(404, Http.get(port, "/serving/team/nope/v2/models/nope").statusCode());
            var scrape = Http.get(port, "/metrics");
            assertTrue(scrape.headers().firstValue("content-type").orElse("").startsWith("text/plain; version=0.0.4"));
            String text = scrape.body();
            String labels = "namespace=\"team\",service=\"iris\",revision=\"iris-predictor-00001\"";
            assertTrue(text.contains("capstan_gateway_requests_total{" + labels + ",code=\"200\"} 3\n"), text);
            assertTrue(text.contains("capstan_gateway_requests_total{" + labels + ",code=\"400\"} 1\n"), text);
            assertTrue(text.contains("capstan_gateway_unrouted_requests_total{code=\"404\"} 1\n"), text);
            assertTrue(text.contains("capstan_gateway_request_duration_seconds_count{" + labels + "} 4\n"), text);
            assertTrue(text.contains("capstan_gateway_inflight_requests{" + labels + "} 0\n"), text);

            Process promtool;
            try {
                promtool = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
            } catch (java.io.IOException e) {
                Assumptions.abort("promtool is not installed: " + e.getMessage());
                return;
            }
            promtool.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            promtool.getOutputStream().close();
            String verdict = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(promtool.waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, promtool.exitValue(), verdict);
        }
    }
}
