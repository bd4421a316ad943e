package dev.capstan.gateway;

import dev.capstan.core.serving.ServiceKey;
import io.grpc.BindableService;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.netty.channel.EventLoopGroup;
import java.util.function.Supplier;

/**
 * {@code inference.GRPCInferenceService} as the gateway serves it: ServerLive, ServerReady and
 * ServerMetadata answered here; ModelReady, ModelMetadata and ModelInfer forwarded as they are to a
 * replica of the service their model name names ({@link GrpcExchange}). The repository calls are
 * not served through the gateway (UNIMPLEMENTED).
 */
final class GrpcProxy implements BindableService {
    /** Metadata naming the namespace of the model; without it, the service is found by name. */
    static final Metadata.Key<String> NAMESPACE = Metadata.Key.of("capstan-namespace", Metadata.ASCII_STRING_MARSHALLER);

    private final RoutingContext routing;
    private final EventLoopGroup timers;

    GrpcProxy(RoutingContext routing, EventLoopGroup timers) {
        this.routing = routing;
        this.timers = timers;
    }

    @Override
    public ServerServiceDefinition bindService() {
        return ServerServiceDefinition.builder(GrpcMessages.SERVICE)
                .addMethod(GrpcMessages.method("ServerLive"), answer(() -> GrpcMessages.flag(true)))
                .addMethod(GrpcMessages.method("ServerReady"), answer(() -> GrpcMessages.flag(!routing.draining().getAsBoolean())))
                .addMethod(GrpcMessages.method("ServerMetadata"), answer(() -> GrpcMessages.serverMetadata("capstan-gateway", "0.1.0")))
                .addMethod(GrpcMessages.method("ModelReady"), forward(GrpcMessages.method("ModelReady")))
                .addMethod(GrpcMessages.method("ModelMetadata"), forward(GrpcMessages.method("ModelMetadata")))
                .addMethod(GrpcMessages.method("ModelInfer"), forward(GrpcMessages.method("ModelInfer")))
                .build();
    }

    private static ServerCallHandler<byte[], byte[]> answer(Supplier<byte[]> response) {
        return (call, headers) -> {
            call.request(1);
            return new ServerCall.Listener<>() {
                @Override
                public void onHalfClose() {
                    call.sendHeaders(new Metadata());
                    call.sendMessage(response.get());
                    call.close(Status.OK, new Metadata());
                }
            };
        };
    }

    private ServerCallHandler<byte[], byte[]> forward(MethodDescriptor<byte[], byte[]> method) {
        return (call, headers) -> {
            Deadline deadline = Context.current().getDeadline();
            call.request(1);
            return new ServerCall.Listener<>() {
                private byte[] message;
                private GrpcExchange exchange;

                @Override
                public void onMessage(byte[] request) {
                    message = request;
                }

                @Override
                public void onHalfClose() {
                    if (message == null) {
                        call.close(Status.INVALID_ARGUMENT.withDescription("no request message"), new Metadata());
                        return;
                    }
                    exchange = route(call, headers, method, message, deadline);
                }

                @Override
                public void onCancel() {
                    if (exchange != null) {
                        exchange.clientGone();
                    }
                }
            };
        };
    }

    private GrpcExchange route(ServerCall<byte[], byte[]> call, Metadata headers, MethodDescriptor<byte[], byte[]> method, byte[] message,
                               Deadline deadline) {
        String name = GrpcMessages.stringField(message, 1);
        if (name == null || name.isEmpty()) {
            call.close(Status.INVALID_ARGUMENT.withDescription("the request names no model (field 1)"), new Metadata());
            return null;
        }
        String namespace = headers.get(NAMESPACE);
        String problem = RequestTarget.nameProblem("model name", name);
        if (problem == null && namespace != null) {
            problem = RequestTarget.nameProblem("capstan-namespace metadata", namespace);
        }
        if (problem != null) {
            routing.metrics().unrouted(400);
            call.close(Status.INVALID_ARGUMENT.withDescription(problem), new Metadata());
            return null;
        }
        ServiceState service = namespace != null ? routing.routes().service(new ServiceKey(namespace, name))
                : routing.routes().serviceByName(name, RestFrontend.DEFAULT_NAMESPACE);
        if (service == null) {
            routing.metrics().unrouted(404);
            String which = namespace != null ? namespace + "/" + name : name;
            call.close(Status.NOT_FOUND.withDescription("no InferenceService " + which + " is routed here"), new Metadata());
            return null;
        }
        GrpcExchange exchange = new GrpcExchange(call, headers, method, message, deadline, service.pick(), timers.next(),
                routing.activatorTimeoutNanos());
        exchange.start();
        return exchange;
    }
}
