package dev.capstan.gateway;

import io.grpc.Status;

/** The HTTP status a gRPC code stands for (grpc-gateway's mapping), so metrics count both protocols alike. */
final class GrpcStatusCodes {
    private GrpcStatusCodes() {
    }

    static int httpCode(Status.Code code) {
        return switch (code) {
            case OK -> 200;
            case CANCELLED -> RestExchange.CLIENT_GONE;
            case INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE -> 400;
            case UNAUTHENTICATED -> 401;
            case PERMISSION_DENIED -> 403;
            case NOT_FOUND -> 404;
            case ALREADY_EXISTS, ABORTED -> 409;
            case RESOURCE_EXHAUSTED -> 429;
            case UNIMPLEMENTED -> 501;
            case UNAVAILABLE -> 503;
            case DEADLINE_EXCEEDED -> 504;
            default -> 500;
        };
    }
}
