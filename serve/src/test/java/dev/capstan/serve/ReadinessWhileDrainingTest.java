package dev.capstan.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.serve.grpc.proto.GRPCInferenceServiceGrpc;
import dev.capstan.serve.grpc.proto.ModelReadyRequest;
import dev.capstan.serve.grpc.proto.ServerReadyRequest;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Once a drain has begun, every readiness answer says so: the server's and each model's, over REST and gRPC. */
class ReadinessWhileDrainingTest {
    @Test
    void modelReadinessTurnsFalseWithTheServers() throws Exception {
        Path temp = Files.createTempDirectory("ready-draining");
        try (ModelServer server = ModelServer.start(ServerConfig.defaults().withHost("127.0.0.1").withPorts(0, 0),
                List.of(new ModelServer.ModelSource(TestingModels.echo(temp, "echo", 0, null), null)))) {
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
            try {
                var grpc = GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
                ModelReadyRequest echo = ModelReadyRequest.newBuilder().setName("echo").build();
                assertTrue(Http.get(server.httpPort(), "/v2/models/echo/ready").json().get("ready").asBoolean());
                assertTrue(grpc.modelReady(echo).getReady());

                server.state().startDraining(); // a drain's first step; the listeners are still open

                assertEquals(503, Http.get(server.httpPort(), "/v2/health/ready").status());
                assertFalse(grpc.serverReady(ServerReadyRequest.getDefaultInstance()).getReady());
                assertFalse(Http.get(server.httpPort(), "/v2/models/echo/ready").json().get("ready").asBoolean());
                assertFalse(grpc.modelReady(echo).getReady());
            } finally {
                channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            }
        }
    }
}
