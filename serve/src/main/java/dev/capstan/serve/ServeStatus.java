package dev.capstan.serve;

/** Every way a request can end, with its HTTP code and gRPC status code, mapped here and nowhere else. */
public enum ServeStatus {
    OK(200, io.grpc.Status.Code.OK),
    BAD_REQUEST(400, io.grpc.Status.Code.INVALID_ARGUMENT),
    UNAUTHORIZED(401, io.grpc.Status.Code.UNAUTHENTICATED),
    NOT_FOUND(404, io.grpc.Status.Code.NOT_FOUND),
    METHOD_NOT_ALLOWED(405, io.grpc.Status.Code.UNIMPLEMENTED),
    TOO_LARGE(413, io.grpc.Status.Code.RESOURCE_EXHAUSTED),
    UNSUPPORTED_MEDIA(415, io.grpc.Status.Code.INVALID_ARGUMENT),
    OVERLOADED(429, io.grpc.Status.Code.RESOURCE_EXHAUSTED),
    INTERNAL(500, io.grpc.Status.Code.INTERNAL),
    UNAVAILABLE(503, io.grpc.Status.Code.UNAVAILABLE),
    TIMEOUT(504, io.grpc.Status.Code.DEADLINE_EXCEEDED);

    private final int httpCode;
    private final io.grpc.Status.Code grpcCode;

    ServeStatus(int httpCode, io.grpc.Status.Code grpcCode) {
        this.httpCode = httpCode;
        this.grpcCode = grpcCode;
    }

    public int httpCode() {
        return httpCode;
    }

    public io.grpc.Status.Code grpcCode() {
        return grpcCode;
    }
}
