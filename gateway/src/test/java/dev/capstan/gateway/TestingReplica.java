package dev.capstan.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.capstan.core.serving.ReplicaEndpoint;
import dev.capstan.serve.grpc.proto.GRPCInferenceServiceGrpc;
import dev.capstan.serve.grpc.proto.ModelInferRequest;
import dev.capstan.serve.grpc.proto.ModelInferResponse;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny real model-server stand-in on 127.0.0.1: OIP-shaped JSON over HTTP/1.1 (JDK HttpServer,
 * keep-alive) and ModelInfer over grpc-java. Infer answers name the replica; a body of
 * {@code "bad"} gets a 400 with an OIP error; a body of {@code "hold"} is answered only once
 * {@link #releaseHeld()} is called. It records every path it was asked for. A gRPC answer names the
 * replica in {@code id}, echoes the request's id as its one output's name and its raw input
 * contents as its raw output contents; a request whose id is {@code "refuse"} gets
 * FAILED_PRECONDITION.
 */
final class TestingReplica implements AutoCloseable {
    final String name;
    final AtomicInteger infers = new AtomicInteger();
    final List<String> paths = new CopyOnWriteArrayList<>();
    private volatile CountDownLatch held = new CountDownLatch(1);
    private final HttpServer http;
    private final Server grpc;

    TestingReplica(String name) throws IOException {
        this.name = name;
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 128);
        http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        http.createContext("/", this::handle);
        http.start();
        grpc = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase() {
                    @Override
                    public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> answer) {
                        infers.incrementAndGet();
                        if (request.getId().equals("refuse")) {
                            answer.onError(Status.FAILED_PRECONDITION.withDescription("replica " + TestingReplica.this.name + " refuses")
                                    .asRuntimeException());
                            return;
                        }
                        answer.onNext(ModelInferResponse.newBuilder().setModelName(request.getModelName()).setId(TestingReplica.this.name)
                                .addOutputs(ModelInferResponse.InferOutputTensor.newBuilder().setName(request.getId()))
                                .addAllRawOutputContents(request.getRawInputContentsList()).build());
                        answer.onCompleted();
                    }
                })
                .build().start();
    }

    ReplicaEndpoint endpoint() {
        return new ReplicaEndpoint(name, "127.0.0.1", http.getAddress().getPort(), grpc.getPort());
    }

    void releaseHeld() {
        CountDownLatch previous = held;
        held = new CountDownLatch(1);
        previous.countDown();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        paths.add(path);
        byte[] body = exchange.getRequestBody().readAllBytes();
        String text = new String(body, StandardCharsets.UTF_8);
        int code = 200;
        String answer;
        if (path.equals("/v2/health/ready")) {
            answer = "{\"ready\":true}";
        } else if (path.endsWith("/infer")) {
            infers.incrementAndGet();
            if (text.equals("bad")) {
                code = 400;
                answer = "{\"error\":\"input 'x' from " + name + " has the wrong shape\"}";
            } else {
                if (text.equals("hold")) {
                    try {
                        held.await(120, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                answer = "{\"model_name\":\"m\",\"id\":\"" + name + "\",\"bytes\":" + body.length + "}";
            }
        } else {
            code = 404;
            answer = "{\"error\":\"no such path\"}";
        }
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        releaseHeld();
        http.stop(0);
        grpc.shutdownNow();
    }
}
