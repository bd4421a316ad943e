package dev.capstan.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.capstan.serve.grpc.proto.GRPCInferenceServiceGrpc;
import dev.capstan.serve.grpc.proto.ModelInferRequest;
import dev.capstan.serve.grpc.proto.ModelInferResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * gRPC calls forwarded as HTTP/2 frames, checked end to end with a real grpc-java client and
 * replica: many calls multiplexed on one client connection each get their own answer, bytes intact;
 * a replica's own error status passes through; a message over the limit or compressed is refused
 * before any replica sees it; calls keep succeeding while the replica they go to is replaced.
 */
class GrpcForwardingTest {
    private static final int CALLS = 300;

    @Test
    void concurrentCallsOnOneConnectionEachGetTheirOwnAnswerWithTheirBytesIntact() throws Exception {
        try (TestingReplica replica = new TestingReplica("a");
             Gateway gateway = Gateway.start(GatewayConfig.loopback(), new TestingFeedback())) {
            gateway.update(Routes.service("team", "iris").revision("iris-predictor-00001", 100, replica.endpoint()).table());
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", gateway.grpcPort()).usePlaintext().build();
            try {
                var stub = GRPCInferenceServiceGrpc.newStub(channel).withDeadlineAfter(120, TimeUnit.SECONDS);
                List<CompletableFuture<ModelInferResponse>> answers = new ArrayList<>();
                for (int i = 0; i < CALLS; i++) {
                    byte[] raw = new byte[1 + i * 97]; // sizes up to ~29 KiB: several DATA frames each
                    for (int b = 0; b < raw.length; b++) {
                        raw[b] = (byte) (b * 31 + i);
                    }
                    ModelInferRequest request = ModelInferRequest.newBuilder().setModelName("iris").setId("q" + i)
                            .addRawInputContents(ByteString.copyFrom(raw)).build();
                    CompletableFuture<ModelInferResponse> answer = new CompletableFuture<>();
                    stub.modelInfer(request, observer(answer));
                    answers.add(answer);
                }
                for (int i = 0; i < CALLS; i++) {
                    ModelInferResponse answer = answers.get(i).get(120, TimeUnit.SECONDS);
                    assertEquals("q" + i, answer.getOutputs(0).getName(), "call " + i + " got its own answer");
                    assertEquals(1 + i * 97, answer.getRawOutputContents(0).size());
                    byte[] back = answer.getRawOutputContents(0).toByteArray();
                    for (int b = 0; b < back.length; b++) {
                        if (back[b] != (byte) (b * 31 + i)) {
                            throw new AssertionError("call " + i + ": byte " + b + " changed on the way");
                        }
                    }
                }
                assertEquals(CALLS, replica.infers.get());
            } finally {
                channel.shutdownNow();
            }
        }
    }

    @Test
    void aReplicasOwnErrorPassesThroughAndTheGatewayRefusesWhatNoReplicaShouldSee() throws Exception {
        int limit = 64 * 1024;
        try (TestingReplica replica = new TestingReplica("a");
             Gateway gateway = Gateway.start(GatewayConfig.loopback().withLimits(GatewayLimits.defaults().withMaxBodyBytes(limit)),
                     new TestingFeedback())) {
            gateway.update(Routes.service("team", "iris").revision("iris-predictor-00001", 100, replica.endpoint()).table());
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", gateway.grpcPort()).usePlaintext().build();
            try {
                var stub = GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
                StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
                        () -> stub.modelInfer(ModelInferRequest.newBuilder().setModelName("iris").setId("refuse").build()));
                assertEquals(Status.Code.FAILED_PRECONDITION, refused.getStatus().getCode());
                assertEquals("replica a refuses", refused.getStatus().getDescription());
                assertEquals(1, replica.infers.get());

                StatusRuntimeException tooLarge = assertThrows(StatusRuntimeException.class, () -> stub.modelInfer(ModelInferRequest.newBuilder()
                        .setModelName("iris").addRawInputContents(ByteString.copyFrom(new byte[limit + 1])).build()));
                assertEquals(Status.Code.RESOURCE_EXHAUSTED, tooLarge.getStatus().getCode(), tooLarge.getStatus().toString());
                StatusRuntimeException compressed = assertThrows(StatusRuntimeException.class, () -> stub.withCompression("gzip")
                        .modelInfer(ModelInferRequest.newBuilder().setModelName("iris").build()));
                assertEquals(Status.Code.UNIMPLEMENTED, compressed.getStatus().getCode(), compressed.getStatus().toString());
                assertEquals(1, replica.infers.get(), "neither reached the replica");
                assertEquals("a", stub.modelInfer(ModelInferRequest.newBuilder().setModelName("iris").build()).getId(),
                        "the connection still serves calls");
            } finally {
                channel.shutdownNow();
            }
            String text = Http.get(gateway.restPort(), "/metrics").body();
            String labels = "namespace=\"team\",service=\"iris\",revision=\"iris-predictor-00001\"";
            assertTrue(text.contains("capstan_gateway_requests_total{" + labels + ",code=\"400\"} 1\n"), text);
        }
    }

    @Test
    void callsKeepSucceedingWhileTheReplicaTheyGoToIsReplaced() throws Exception {
        try (TestingReplica first = new TestingReplica("a");
             TestingReplica second = new TestingReplica("b");
             Gateway gateway = Gateway.start(GatewayConfig.loopback(), new TestingFeedback())) {
            gateway.update(Routes.service("team", "iris").revision("iris-predictor-00001", 100, first.endpoint()).table());
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", gateway.grpcPort()).usePlaintext().build();
            try {
                var stub = GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
                List<String> answeredBy = new ArrayList<>();
                for (int i = 0; i < 60; i++) {
                    if (i == 30) {
                        gateway.update(Routes.service("team", "iris").revision("iris-predictor-00002", 100, second.endpoint()).table());
                    }
                    answeredBy.add(stub.modelInfer(ModelInferRequest.newBuilder().setModelName("iris").build()).getId());
                }
                assertEquals(List.of("a", "b"), answeredBy.stream().distinct().toList());
                assertEquals("b", answeredBy.get(59));
            } finally {
                channel.shutdownNow();
            }
        }
    }

    private static StreamObserver<ModelInferResponse> observer(CompletableFuture<ModelInferResponse> answer) {
        return new StreamObserver<>() {
            @Override
            public void onNext(ModelInferResponse value) {
                answer.complete(value);
            }

            @Override
            public void onError(Throwable error) {
                answer.completeExceptionally(error);
            }

            @Override
            public void onCompleted() {
                answer.completeExceptionally(new AssertionError("no answer"));
            }
        };
    }
}
