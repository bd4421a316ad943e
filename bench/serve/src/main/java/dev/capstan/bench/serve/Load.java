package dev.capstan.bench.serve;

import com.google.protobuf.ByteString;
import dev.capstan.serve.grpc.proto.GRPCInferenceServiceGrpc;
import dev.capstan.serve.grpc.proto.ModelInferRequest;
import dev.capstan.serve.grpc.proto.ModelInferResponse;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Load generators: wrk for REST, a grpc-java async client for gRPC, each keeping N requests outstanding. */
final class Load {
    private Load() {
    }

    /** Lets the server's JIT compile both protocol paths before anything is measured. */
    static void warmUp(ServeBenchmark.ServerProcess server, String model, Path body) throws Exception {
        for (int round = 0; round < 3; round++) {
            rest(server.restPort(), model, body, 16, 5);
            grpc(server.grpcPort(), model, 16, 5);
        }
    }

    static Result rest(int port, String model, Path body, int concurrency, int seconds) throws Exception {
        Path script = Files.createTempFile("post", ".lua");
        Files.writeString(script, "wrk.method = \"POST\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\n"
                + "local f = io.open(\"" + body + "\", \"r\")\nwrk.body = f:read(\"*a\")\nf:close()\n");
        Process wrk = new ProcessBuilder("wrk", "-t", Integer.toString(Math.min(2, concurrency)), "-c", Integer.toString(concurrency),
                "-d", seconds + "s", "--latency", "-s", script.toString(),
                "http://127.0.0.1:" + port + "/v2/models/" + model + "/infer").redirectErrorStream(true).start();
        String out = new String(wrk.getInputStream().readAllBytes());
        wrk.waitFor();
        Matcher requests = Pattern.compile("(\\d+) requests in ([\\d.]+)(\\w+)").matcher(out);
        if (!requests.find()) {
            throw new IllegalStateException("cannot read wrk output:\n" + out);
        }
        if (out.contains("Non-2xx")) {
            System.out.println("  (wrk saw non-2xx answers)");
        }
        long count = Long.parseLong(requests.group(1));
        double elapsed = micros(requests.group(2), requests.group(3)) * 1000;
        return new Result(count, (long) elapsed, percentile(out, "50%"), percentile(out, "99%"), -1, 0);
    }

    private static double percentile(String out, String label) {
        Matcher m = Pattern.compile("\\s" + label + "\\s+([\\d.]+)(us|ms|s)").matcher(out);
        return m.find() ? micros(m.group(1), m.group(2)) : Double.NaN;
    }

    private static double micros(String value, String unit) {
        double v = Double.parseDouble(value);
        return switch (unit) {
            case "us" -> v;
            case "ms" -> v * 1000;
            case "s" -> v * 1_000_000;
            case "m" -> v * 60_000_000;
            default -> throw new IllegalArgumentException(unit);
        };
    }

    static Result grpc(int port, String model, int concurrency, int seconds) throws Exception {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().directExecutor().build();
        try {
            GRPCInferenceServiceGrpc.GRPCInferenceServiceStub stub = GRPCInferenceServiceGrpc.newStub(channel);
            var input = ServeBenchmark.input();
            byte[] raw = new byte[input.data().remaining()];
            input.data().get(raw);
            ModelInferRequest request = ModelInferRequest.newBuilder().setModelName(model)
                    .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("input").setDatatype("FP32").addShape(1).addShape(784))
                    .addRawInputContents(ByteString.copyFrom(raw)).build();
            Latencies latencies = new Latencies();
            long start = System.nanoTime();
            long end = start + TimeUnit.SECONDS.toNanos(seconds);
            CountDownLatch done = new CountDownLatch(concurrency);
            for (int c = 0; c < concurrency; c++) {
                send(stub, request, latencies, end, done);
            }
            done.await();
            return latencies.result(System.nanoTime() - start);
        } finally {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private static void send(GRPCInferenceServiceGrpc.GRPCInferenceServiceStub stub, ModelInferRequest request,
                             Latencies latencies, long end, CountDownLatch done) {
        long t = System.nanoTime();
        stub.modelInfer(request, new StreamObserver<>() {
            @Override
            public void onNext(ModelInferResponse value) {
                latencies.add(System.nanoTime() - t);
            }

            @Override
            public void onError(Throwable error) {
                System.out.println("  gRPC error: " + error);
                done.countDown();
            }

            @Override
            public void onCompleted() {
                if (System.nanoTime() < end) {
                    send(stub, request, latencies, end, done);
                } else {
                    done.countDown();
                }
            }
        });
    }
}
