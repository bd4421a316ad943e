package dev.capstan.serve.rest;

import dev.capstan.serve.ServeException;
import dev.capstan.serve.ServeStatus;
import java.io.IOException;
import java.io.OutputStream;

/** A REST answer: status code, content type and a writer for the body. */
record RestReply(int code, String contentType, Body body, String retryAfter) {
    static final String JSON = "application/json";

    interface Body {
        void write(OutputStream out) throws IOException;
    }

    static RestReply json(Body body) {
        return new RestReply(200, JSON, body, null);
    }

    static RestReply json(int code, Body body) {
        return new RestReply(code, JSON, body, null);
    }

    static RestReply error(ServeException error) {
        String retry = error.status() == ServeStatus.OVERLOADED || error.status() == ServeStatus.UNAVAILABLE ? "1" : null;
        return new RestReply(error.status().httpCode(), JSON, out -> ResponseJson.error(error.getMessage(), out), retry);
    }
}
