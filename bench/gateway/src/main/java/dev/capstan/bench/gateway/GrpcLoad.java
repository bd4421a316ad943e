package dev.capstan.bench.gateway;

import com.google.protobuf.ByteString;
import dev.capstan.serve.grpc.proto.GRPCInferenceServiceGrpc;
import dev.capstan.serve.grpc.proto.ModelInferRequest;
import dev.capstan.serve.grpc.proto.ModelInferResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * gRPC load from a grpc-java async client on one channel: N calls outstanding, each answered call
 * followed at once by the next, raw FP32 contents (what Triton's and KServe's clients send).
 */
final class GrpcLoad {
    static final ModelInferRequest REQUEST = request();

    private GrpcLoad() {
    }

    private static ModelInferRequest request() {
        ByteBuffer raw = ByteBuffer.allocate(784 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 784; i++) {
            raw.putFloat((float) ((i * 7919) % 1000) / 1000f);
        }
        return ModelInferRequest.newBuilder().setModelName(ReplicaProcess.SERVICE)
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("input").setDatatype("FP32")
                        .addShape(1).addShape(784))
                .addRawInputContents(ByteString.copyFrom(raw.array())).build();
    }

    /** One call that must come back with the model's output: what h2load cannot check for itself. */
    static void check(int port) throws Exception {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            ModelInferResponse response = GRPCInferenceServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(60, TimeUnit.SECONDS).modelInfer(REQUEST);
            if (response.getRawOutputContentsCount() == 0 && response.getOutputsCount() == 0) {
                throw new IllegalStateException("a ModelInfer call on port " + port + " answered no output");
            }
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    static Point run(int port, int concurrency, int seconds) throws Exception {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().directExecutor().build();
        try {
            GRPCInferenceServiceGrpc.GRPCInferenceServiceStub stub = GRPCInferenceServiceGrpc.newStub(channel);
            Latencies latencies = new Latencies();
            AtomicLong errors = new AtomicLong();
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(seconds);
            CountDownLatch done = new CountDownLatch(concurrency);
            for (int c = 0; c < concurrency; c++) {
                send(stub, latencies, errors, end, done);
            }
            if (!done.await(seconds + 60L, TimeUnit.SECONDS)) {
                throw new IllegalStateException("gRPC calls still outstanding a minute after the point ended");
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            return new Point(latencies.count() / elapsed, latencies.percentileMicros(0.5), latencies.percentileMicros(0.99),
                    errors.get());
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private static void send(GRPCInferenceServiceGrpc.GRPCInferenceServiceStub stub, Latencies latencies, AtomicLong errors,
                             long end, CountDownLatch done) {
        long t = System.nanoTime();
        stub.modelInfer(REQUEST, new StreamObserver<>() {
            @Override
            public void onNext(ModelInferResponse value) {
                latencies.add(System.nanoTime() - t);
            }

            @Override
            public void onError(Throwable error) {
                errors.incrementAndGet();
                next();
            }

            @Override
            public void onCompleted() {
                next();
            }

            private void next() {
                if (System.nanoTime() < end) {
                    send(stub, latencies, errors, end, done);
                } else {
                    done.countDown();
                }
            }
        });
    }
}
