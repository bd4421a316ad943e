package dev.capstan.local.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.capstan.api.codec.Manifests;
import dev.capstan.api.validation.FieldError;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Small helpers for the JSON API: bodies bounded in size and in time, JSON replies and
 * {@code {"error": …}} errors.
 */
final class HttpExchanges {
  static final int MAX_BODY = 4 << 20;
  /** How long a handler waits for a request body before answering 400. */
  static final Duration BODY_TIMEOUT = Duration.ofSeconds(10);
  /**
   * How long the JDK server lets one request take to arrive, headers and body together, before it
   * closes the connection (slow or stalled clients); longer than {@link #BODY_TIMEOUT} so that a
   * stalled body is answered first.
   */
  static final Duration REQUEST_TIME_LIMIT = Duration.ofSeconds(30);

  private HttpExchanges() {}

  /**
   * Sets the JDK server's request time limit. The JDK reads it once, when the first HttpServer
   * of the process is created, so call this before that; a value set by the user is kept.
   */
  static void limitRequestTime() {
    if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
      System.setProperty("sun.net.httpserver.maxReqTime", Long.toString(REQUEST_TIME_LIMIT.toSeconds()));
    }
  }

  /** A request the client got wrong: becomes a 4xx reply with {@code {"error": …}}. */
  static final class ClientError extends RuntimeException {
    final int status;
    final List<FieldError> fields;

    ClientError(int status, String message) {
      this(status, message, List.of());
    }

    ClientError(int status, String message, List<FieldError> fields) {
      super(message);
      this.status = status;
      this.fields = fields;
    }
  }

  static byte[] body(HttpExchange ex) throws IOException {
    byte[] data = body(ex, MAX_BODY);
    if (data.length > MAX_BODY) {
      throw new ClientError(413, "request body larger than " + MAX_BODY + " bytes");
    }
    return data;
  }

  /**
   * Reads at most {@code limit + 1} bytes of the body (more than {@code limit} means it is too
   * large) within {@link #BODY_TIMEOUT}; a body that stops short is answered 400 and throws.
   */
  static byte[] body(HttpExchange ex, int limit) throws IOException {
    BodyDeadline deadline = BodyDeadline.start(ex, BODY_TIMEOUT);
    try (InputStream in = ex.getRequestBody()) {
      return in.readNBytes(limit + 1);
    } finally {
      if (!deadline.stop()) {
        throw new IOException("the request body did not arrive within " + BODY_TIMEOUT.toSeconds() + "s; answered 400");
      }
    }
  }

  static void json(HttpExchange ex, int status, Object value) throws IOException {
    byte[] bytes = Manifests.json().writeValueAsBytes(value);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  static void error(HttpExchange ex, int status, String message, List<FieldError> fields) throws IOException {
    byte[] bytes = errorBody(message, fields);
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** {@code {"error": message, "fields": [{"path": …, "reason": …}]}} as bytes. */
  static byte[] errorBody(String message, List<FieldError> fields) {
    ObjectNode body = Manifests.json().createObjectNode().put("error", message);
    if (!fields.isEmpty()) {
      var array = body.putArray("fields");
      fields.forEach(f -> array.addObject().put("path", f.path()).put("reason", f.reason()));
    }
    return body.toString().getBytes(StandardCharsets.UTF_8);
  }

  static Map<String, String> query(HttpExchange ex) {
    Map<String, String> params = new HashMap<>();
    String raw = ex.getRequestURI().getRawQuery();
    if (raw == null) {
      return params;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      params.put(k, v);
    }
    return params;
  }
}
