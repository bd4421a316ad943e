package dev.capstan.serve.grpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.capstan.serve.Fixtures;
import dev.capstan.serve.ModelServer;
import dev.capstan.serve.ServerConfig;
import dev.capstan.serve.TestingModels;
import dev.capstan.serve.grpc.proto.GRPCInferenceServiceGrpc;
import dev.capstan.serve.grpc.proto.InferTensorContents;
import dev.capstan.serve.grpc.proto.ModelInferRequest;
import dev.capstan.serve.grpc.proto.ModelInferResponse;
import dev.capstan.serve.grpc.proto.ModelMetadataRequest;
import dev.capstan.serve.grpc.proto.ModelMetadataResponse;
import dev.capstan.serve.grpc.proto.ModelReadyRequest;
import dev.capstan.serve.grpc.proto.ServerLiveRequest;
import dev.capstan.serve.grpc.proto.ServerMetadataRequest;
import dev.capstan.serve.grpc.proto.ServerReadyRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Every rpc of inference.GRPCInferenceService through a grpc-java client built from the proto. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GrpcConformanceTest {
    private ModelServer server;
    private ManagedChannel channel;
    private GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub;

    @BeforeAll
    void start() throws Exception {
        Path temp = Files.createTempDirectory("grpc-conformance");
        server = ModelServer.start(ServerConfig.defaults().withHost("127.0.0.1").withPorts(0, 0), List.of(
                new ModelServer.ModelSource(Fixtures.dir("mlp"), "mlp"),
                new ModelServer.ModelSource(TestingModels.echoAllTypes(temp, "echo", 0, null), null)));
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort()).usePlaintext().build();
        stub = GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    @AfterAll
    void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        server.close();
    }

    @Test
    void serverRpcs() {
        assertTrue(stub.serverLive(ServerLiveRequest.getDefaultInstance()).getLive());
        assertTrue(stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady());
        assertEquals("capstan", stub.serverMetadata(ServerMetadataRequest.getDefaultInstance()).getName());
    }

    @Test
    void modelRpcs() {
        assertTrue(stub.modelReady(ModelReadyRequest.newBuilder().setName("mlp").build()).getReady());
        assertTrue(stub.modelReady(ModelReadyRequest.newBuilder().setName("echo").setVersion("3").build()).getReady());
        ModelMetadataResponse meta = stub.modelMetadata(ModelMetadataRequest.newBuilder().setName("mlp").build());
        assertEquals("onnxruntime_onnx", meta.getPlatform());
        assertEquals(List.of("1"), meta.getVersionsList());
        assertEquals("input", meta.getInputs(0).getName());
        assertEquals("FP32", meta.getInputs(0).getDatatype());
        assertEquals(List.of(-1L, 4L), meta.getInputs(0).getShapeList());
        assertCode(Status.Code.NOT_FOUND, () -> stub.modelReady(ModelReadyRequest.newBuilder().setName("nope").build()));
        assertCode(Status.Code.NOT_FOUND, () -> stub.modelMetadata(ModelMetadataRequest.newBuilder().setName("mlp").setVersion("2").build()));
    }

    @Test
    void inferWithTypedAndRawContentsMatchesTorch() {
        float[] input = Fixtures.flatFloats(Fixtures.expectedMlp().get("input"));
        float[] want = Fixtures.flatFloats(Fixtures.expectedMlp().get("output"));
        InferTensorContents.Builder contents = InferTensorContents.newBuilder();
        for (float v : input) {
            contents.addFp32Contents(v);
        }
        ModelInferRequest.InferInputTensor.Builder tensor = ModelInferRequest.InferInputTensor.newBuilder()
                .setName("input").setDatatype("FP32").addShape(3).addShape(4);
        ModelInferResponse typed = stub.modelInfer(ModelInferRequest.newBuilder().setModelName("mlp").setId("g1")
                .addInputs(tensor.clone().setContents(contents)).build());
        assertEquals("g1", typed.getId());
        assertEquals("mlp", typed.getModelName());
        assertEquals(List.of(3L, 3L), typed.getOutputs(0).getShapeList());
        assertArrayEquals(want, toArray(typed.getOutputs(0).getContents().getFp32ContentsList()), 1e-5f);

        ByteBuffer raw = ByteBuffer.allocate(input.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(input);
        ModelInferResponse rawReply = stub.modelInfer(ModelInferRequest.newBuilder().setModelName("mlp")
                .addInputs(tensor).addRawInputContents(ByteString.copyFrom(raw.array())).build());
        assertEquals(1, rawReply.getRawOutputContentsCount());
        float[] got = new float[9];
        rawReply.getRawOutputContents(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(got);
        assertArrayEquals(want, got, 1e-5f);
    }

    @Test
    void everyDatatypeRoundTripsRawAndTyped() {
        ModelInferRequest.Builder raw = ModelInferRequest.newBuilder().setModelName("echo");
        for (dev.capstan.serve.tensor.DataType type : dev.capstan.serve.tensor.DataType.values()) {
            raw.addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("in_" + type).setDatatype(type.name()).addShape(2).addShape(2));
            raw.addRawInputContents(rawBytes(type));
        }
        ModelInferResponse reply = stub.modelInfer(raw.build());
        assertEquals(dev.capstan.serve.tensor.DataType.values().length, reply.getRawOutputContentsCount());
        for (int i = 0; i < reply.getOutputsCount(); i++) {
            String type = reply.getOutputs(i).getDatatype();
            assertEquals(rawBytes(dev.capstan.serve.tensor.DataType.valueOf(type)), reply.getRawOutputContents(i), type);
        }

        ModelInferRequest.Builder typed = ModelInferRequest.newBuilder().setModelName("echo");
        for (dev.capstan.serve.tensor.DataType type : dev.capstan.serve.tensor.DataType.values()) {
            typed.addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("in_" + type).setDatatype(type.name())
                    .addShape(2).addShape(2).setContents(typedContents(type)));
        }
        // FP16 has no typed field, so the request is refused with a clear message
        StatusRuntimeException fp16 = assertThrows(StatusRuntimeException.class, () -> stub.modelInfer(typed.build()));
        assertEquals(Status.Code.INVALID_ARGUMENT, fp16.getStatus().getCode());
        assertTrue(fp16.getStatus().getDescription().contains("FP16"));
    }

    @Test
    void typedContentsForEachTypedDatatype() {
        ModelInferRequest.Builder typed = ModelInferRequest.newBuilder().setModelName("echo");
        for (dev.capstan.serve.tensor.DataType type : dev.capstan.serve.tensor.DataType.values()) {
            ModelInferRequest.InferInputTensor.Builder input = ModelInferRequest.InferInputTensor.newBuilder()
                    .setName("in_" + type).setDatatype(type.name()).addShape(2).addShape(2);
            if (type == dev.capstan.serve.tensor.DataType.FP16 || type == dev.capstan.serve.tensor.DataType.BF16) {
                continue;
            }
            typed.addInputs(input.setContents(typedContents(type)));
        }
        // the model wants FP16 (and BF16) too: leave them out and expect the first missing input named
        StatusRuntimeException missing = assertThrows(StatusRuntimeException.class, () -> stub.modelInfer(typed.build()));
        assertTrue(missing.getStatus().getDescription().contains("in_FP16"));
    }

    @Test
    void errorsMapToGrpcCodes() {
        ModelInferRequest.InferInputTensor.Builder tensor = ModelInferRequest.InferInputTensor.newBuilder()
                .setName("input").setDatatype("FP32").addShape(1).addShape(4)
                .setContents(InferTensorContents.newBuilder().addFp32Contents(1).addFp32Contents(2));
        assertCode(Status.Code.INVALID_ARGUMENT, () -> stub.modelInfer(ModelInferRequest.newBuilder().setModelName("mlp").addInputs(tensor).build()));
        assertCode(Status.Code.NOT_FOUND, () -> stub.modelInfer(ModelInferRequest.newBuilder().setModelName("nope").addInputs(tensor).build()));
        assertCode(Status.Code.INVALID_ARGUMENT, () -> stub.modelInfer(ModelInferRequest.newBuilder().setModelName("mlp")
                .addInputs(tensor.clone().clearContents().setDatatype("FP99")).addRawInputContents(ByteString.copyFrom(new byte[16])).build()));
        assertCode(Status.Code.INVALID_ARGUMENT, () -> stub.modelInfer(ModelInferRequest.newBuilder().setModelName("mlp")
                .addInputs(tensor.clone().clearContents()).addRawInputContents(ByteString.copyFrom(new byte[15])).build()));
    }

    private static ByteString rawBytes(dev.capstan.serve.tensor.DataType type) {
        if (type == dev.capstan.serve.tensor.DataType.BYTES) {
            ByteBuffer out = ByteBuffer.allocate(4 * 4 + 6).order(ByteOrder.LITTLE_ENDIAN);
            for (String s : new String[] {"ab", "", "c", "def"}) {
                out.putInt(s.length()).put(s.getBytes());
            }
            return ByteString.copyFrom(out.array());
        }
        byte[] bytes = new byte[4 * type.elementSize()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (type == dev.capstan.serve.tensor.DataType.BOOL ? i % 2 : i * 37 + 5);
        }
        return ByteString.copyFrom(bytes);
    }

    private static InferTensorContents typedContents(dev.capstan.serve.tensor.DataType type) {
        InferTensorContents.Builder c = InferTensorContents.newBuilder();
        for (int i = 0; i < 4; i++) {
            switch (type) {
                case BOOL -> c.addBoolContents(i % 2 == 0);
                case INT8, INT16, INT32 -> c.addIntContents(i - 2);
                case INT64 -> c.addInt64Contents(Long.MIN_VALUE + i);
                case UINT8, UINT16, UINT32 -> c.addUintContents(i + 1);
                case UINT64 -> c.addUint64Contents(-1L - i);
                case FP32 -> c.addFp32Contents(i * 0.5f);
                case FP64 -> c.addFp64Contents(i * 0.25);
                case BYTES -> c.addBytesContents(ByteString.copyFromUtf8("s" + i));
                case FP16 -> c.addFp32Contents(i);
            }
        }
        return c.build();
    }

    private static float[] toArray(List<Float> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    private static void assertCode(Status.Code code, Runnable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::run);
        assertEquals(code, e.getStatus().getCode(), e.getStatus().getDescription());
    }
}
