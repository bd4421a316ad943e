package dev.capstan.serve.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.serve.ModelServer;
import dev.capstan.serve.ServerConfig;
import dev.capstan.serve.TestingModels;
import dev.capstan.serve.fetch.SourcePolicy;
import dev.capstan.serve.grpc.proto.GRPCInferenceServiceGrpc;
import dev.capstan.serve.grpc.proto.ModelReadyRequest;
import dev.capstan.serve.grpc.proto.RepositoryModelLoadRequest;
import dev.capstan.serve.grpc.proto.RepositoryModelLoadResponse;
import dev.capstan.serve.grpc.proto.RepositoryModelUnloadRequest;
import dev.capstan.serve.grpc.proto.RepositoryModelUnloadResponse;
import dev.capstan.serve.grpc.proto.ServerMetadataRequest;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** KServe's RepositoryModelLoad/Unload rpcs through a grpc-java client: same token and sources as REST. */
class GrpcRepositoryTest {
    @Test
    void loadAndUnloadNeedTheTokenAndAnswerAsKServe() throws Exception {
        Path root = Files.createTempDirectory("grpc-repo");
        TestingModels.echo(root, "extra", 0, null);
        ServerConfig config = ServerConfig.defaults().withHost("127.0.0.1").withPorts(0, 0).withRepository("s3cret", root, SourcePolicy.defaults());
        try (ModelServer server = ModelServer.start(config, List.of())) {
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
            try {
                var anonymous = GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
                var wrong = anonymous.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer("wrong")));
                var stub = anonymous.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(bearer("s3cret")));
                RepositoryModelLoadRequest load = RepositoryModelLoadRequest.newBuilder().setModelName("extra").build();
                RepositoryModelUnloadRequest unload = RepositoryModelUnloadRequest.newBuilder().setModelName("extra").build();

                assertEquals(List.of("model_repository"), anonymous.serverMetadata(ServerMetadataRequest.getDefaultInstance()).getExtensionsList());
                assertCode(Status.Code.UNAUTHENTICATED, () -> anonymous.repositoryModelLoad(load));
                assertCode(Status.Code.UNAUTHENTICATED, () -> wrong.repositoryModelLoad(load));
                assertCode(Status.Code.NOT_FOUND, () -> stub.modelReady(ModelReadyRequest.newBuilder().setName("extra").build()));

                RepositoryModelLoadResponse loaded = stub.repositoryModelLoad(load);
                assertEquals("extra", loaded.getModelName());
                assertTrue(loaded.getIsLoaded());
                assertTrue(stub.modelReady(ModelReadyRequest.newBuilder().setName("extra").build()).getReady());
                assertCode(Status.Code.INVALID_ARGUMENT, () -> stub.repositoryModelLoad(RepositoryModelLoadRequest.newBuilder().setModelName("../etc").build()));

                assertCode(Status.Code.UNAUTHENTICATED, () -> wrong.repositoryModelUnload(unload));
                RepositoryModelUnloadResponse unloaded = stub.repositoryModelUnload(unload);
                assertEquals("extra", unloaded.getModelName());
                assertTrue(unloaded.getIsUnloaded());
                assertCode(Status.Code.NOT_FOUND, () -> stub.modelReady(ModelReadyRequest.newBuilder().setName("extra").build()));
                assertCode(Status.Code.NOT_FOUND, () -> stub.repositoryModelUnload(unload));
            } finally {
                channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void offWithoutAToken() throws Exception {
        try (ModelServer server = ModelServer.start(ServerConfig.defaults().withHost("127.0.0.1").withPorts(0, 0), List.of())) {
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
            try {
                var stub = GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
                assertCode(Status.Code.NOT_FOUND, () -> stub.repositoryModelLoad(RepositoryModelLoadRequest.newBuilder().setModelName("x").build()));
            } finally {
                channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
            }
        }
    }

    private static Metadata bearer(String token) {
        Metadata metadata = new Metadata();
        metadata.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
        return metadata;
    }

    private static void assertCode(Status.Code code, Executable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
        assertEquals(code, e.getStatus().getCode(), e.getStatus().toString());
    }
}
