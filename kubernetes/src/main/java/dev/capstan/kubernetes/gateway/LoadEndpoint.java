package dev.capstan.kubernetes.gateway;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;

/**
 * Serves a gateway pod's {@link LoadBoard} to the operator on its own port:
 * {@code GET /capstan/v1/load?after=N&waitMs=M} answers the {@link LoadReport} once something
 * happened after sequence N, or after M milliseconds (at most {@value #MAX_WAIT_MS}). Nothing else
 * is served here; bad parameters are a 400, another method a 405, another path a 404, each with
 * {@code {"error": …}}. {@code GET /capstan/v1/ready} is the pod's readiness: 200 once the
 * gateway routes from a synced view of the cluster, 503 before. At most {@value #MAX_WAITING} readers wait at once; more are turned away
 * with a 503 rather than holding threads without bound.
 */
public final class LoadEndpoint implements AutoCloseable {
  public static final String READY_PATH = "/capstan/v1/ready";
  static final long MAX_WAIT_MS = 10_000;
  static final int MAX_WAITING = 32;

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Semaphore waiting = new Semaphore(MAX_WAITING);
  private final LoadBoard board;
  private final BooleanSupplier ready;

  private LoadEndpoint(HttpServer server, LoadBoard board, BooleanSupplier ready) {
    this.server = server;
    this.board = board;
    this.ready = ready;
  }

  /** Listens on {@code address} (port 0 picks a free one); {@code ready}: whether the gateway routes yet. */
  public static LoadEndpoint start(InetSocketAddress address, LoadBoard board, BooleanSupplier ready) throws IOException {
    LoadEndpoint endpoint = new LoadEndpoint(HttpServer.create(address, 64), board, ready);
    endpoint.server.createContext("/", endpoint::handle);
    endpoint.server.setExecutor(endpoint.executor);
    endpoint.server.start();
    return endpoint;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (!path.equals(LoadReport.PATH) && !path.equals(READY_PATH)) {
        send(exchange, 404, error("no such path: " + truncate(path)));
      } else if (!exchange.getRequestMethod().equals("GET")) {
        exchange.getResponseHeaders().set("Allow", "GET");
        send(exchange, 405, error("only GET is served on " + path));
      } else if (path.equals(READY_PATH)) {
        boolean now = ready.getAsBoolean();
        send(exchange, now ? 200 : 503, "{\"ready\": " + now + "}");
      } else {
        answer(exchange);
      }
    }
  }

  private void answer(HttpExchange exchange) throws IOException {
    long after;
    long waitMs;
    try {
      Query query = Query.parse(exchange.getRequestURI().getRawQuery());
      after = query.number("after", 0, Long.MAX_VALUE);
      waitMs = query.number("waitMs", 0, MAX_WAIT_MS);
    } catch (IllegalArgumentException e) {
      send(exchange, 400, error(e.getMessage()));
      return;
    }
    if (!waiting.tryAcquire()) {
      exchange.getResponseHeaders().set("Retry-After", "1");
      send(exchange, 503, error("too many readers waiting"));
      return;
    }
    try {
      send(exchange, 200, board.after(after, Duration.ofMillis(waitMs)).toJson());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      send(exchange, 503, error("stopping"));
    } finally {
      waiting.release();
    }
  }

  private static String error(String message) {
    return dev.capstan.api.codec.Manifests.json().createObjectNode().put("error", message).toString();
  }

  private static void send(HttpExchange exchange, int code, String json) throws IOException {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(code, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /** The two query parameters this endpoint reads; anything else is refused. */
  private record Query(java.util.Map<String, String> values) {
    static Query parse(String raw) {
      java.util.Map<String, String> values = new java.util.HashMap<>();
      if (raw != null && !raw.isEmpty()) {
        for (String pair : raw.split("&", 8)) {
          int eq = pair.indexOf('=');
          String name = eq < 0 ? pair : pair.substring(0, eq);
          if (!name.equals("after") && !name.equals("waitMs")) {
            throw new IllegalArgumentException("unknown query parameter: " + truncate(name));
          }
          values.put(name, eq < 0 ? "" : pair.substring(eq + 1));
        }
      }
      return new Query(values);
    }

    long number(String name, long fallback, long max) {
      String v = values.get(name);
      if (v == null) {
        return fallback;
      }
      try {
        long n = Long.parseLong(v);
        if (n < 0 || n > max) {
          throw new IllegalArgumentException(name + ": must be between 0 and " + max + ", got " + n);
        }
        return n;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(name + ": not a number: " + truncate(v));
      }
    }
  }

  private static String truncate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }
}
