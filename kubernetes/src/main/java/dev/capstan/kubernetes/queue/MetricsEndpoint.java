package dev.capstan.kubernetes.queue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.capstan.core.queue.QueueMetrics;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The operator's {@code GET /metrics}: the queue metrics of the leader's latest scheduling cycle in
 * Prometheus text form, rendered by core's {@link QueueMetrics} as the local control plane's are
 * (a standby, which runs no cycle, serves none). Any other path is 404, any other method 405.
 */
public final class MetricsEndpoint implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

  private MetricsEndpoint(HttpServer server) {
    this.server = server;
  }

  public static MetricsEndpoint start(int port, QueueMetrics metrics) {
    try {
      MetricsEndpoint endpoint = new MetricsEndpoint(HttpServer.create(new InetSocketAddress(port), 16));
      endpoint.server.createContext("/", ex -> endpoint.answer(ex, metrics));
      endpoint.server.setExecutor(endpoint.executor);
      endpoint.server.start();
      return endpoint;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve metrics on port " + port + ": " + e.getMessage(), e);
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void answer(HttpExchange ex, QueueMetrics metrics) throws IOException {
    try (ex) {
      if (!"/metrics".equals(ex.getRequestURI().getPath())) {
        send(ex, 404, "text/plain; charset=utf-8", "not found\n");
      } else if (!"GET".equals(ex.getRequestMethod())) {
        send(ex, 405, "text/plain; charset=utf-8", "method not allowed\n");
      } else {
        send(ex, 200, QueueMetrics.CONTENT_TYPE, metrics.exposition());
      }
    }
  }

  private static void send(HttpExchange ex, int code, String type, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
