package dev.capstan.serve.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/** Makes a call's {@code authorization} metadata (as REST's Authorization header) readable by the service. */
final class CallAuthorization implements ServerInterceptor {
    private static final Metadata.Key<String> METADATA = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<String> VALUE = Context.key("authorization");

    /** The current call's {@code authorization} value, or null. */
    static String current() {
        return VALUE.get();
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        String value = headers.get(METADATA);
        if (value == null) {
            return next.startCall(call, headers);
        }
        return Contexts.interceptCall(Context.current().withValue(VALUE, value), call, headers, next);
    }
}
