package dev.capstan.serve.rest;

import dev.capstan.serve.ServeException;
import dev.capstan.serve.ServeStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/** A REST answer: status code, content type, a writer for the body, and any further headers. */
record RestReply(int code, String contentType, Body body, Map<String, String> headers) {
    static final String JSON = "application/json";

    interface Body {
        void write(OutputStream out) throws IOException;
    }

    static RestReply json(Body body) {
        return new RestReply(200, JSON, body, Map.of());
    }

    static RestReply json(int code, Body body) {
        return new RestReply(code, JSON, body, Map.of());
    }

    static RestReply error(ServeException error) {
        boolean retry = error.status() == ServeStatus.OVERLOADED || error.status() == ServeStatus.UNAVAILABLE;
        return new RestReply(error.status().httpCode(), JSON, out -> ResponseJson.error(error.getMessage(), out),
                retry ? Map.of("Retry-After", "1") : Map.of());
    }
}
