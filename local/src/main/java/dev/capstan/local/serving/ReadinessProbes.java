package dev.capstan.local.serving;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * Polls starting replicas' {@code GET /v2/health/ready} (every 20 ms, so a cold start is seen as
 * soon as it is over) until they answer 200 or their process goes, and remembers which processes
 * were found ready. Each probe is a short connection of its own on a virtual thread; a found
 * replica calls {@code onReady} so the controller routes to it without waiting for its next tick.
 */
final class ReadinessProbes {
  private static final Duration INTERVAL = Duration.ofMillis(20);
  private static final int TIMEOUT_MILLIS = 1000;

  /** Probes in flight and found ready, by process (PID and port: a new process is probed anew). */
  private final Set<String> probing = ConcurrentHashMap.newKeySet();
  private final Map<String, Boolean> ready = new ConcurrentHashMap<>();
  private final Runnable onReady;

  ReadinessProbes(Runnable onReady) {
    this.onReady = onReady;
  }

  /** Whether this process was found ready; starts probing it when not yet. */
  boolean ready(long pid, int port, BooleanSupplier stillRunning) {
    String key = pid + ":" + port;
    if (ready.containsKey(key)) {
      return true;
    }
    if (probing.add(key)) {
      Thread.ofVirtual().name("capstan-ready-" + key).start(() -> probe(key, port, stillRunning));
    }
    return false;
  }

  /** Forgets a process (it was stopped or exited). */
  void forget(long pid, int port) {
    ready.remove(pid + ":" + port);
  }

  private void probe(String key, int port, BooleanSupplier stillRunning) {
    try {
      while (stillRunning.getAsBoolean()) {
        if (answersReady(port)) {
          ready.put(key, true);
          logReady(key);
          onReady.run();
          return;
        }
        Thread.sleep(INTERVAL);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      probing.remove(key);
    }
  }

  /** How long the process took from its start to its first ready answer, in the server's log. */
  private static void logReady(String key) {
    long pid = Long.parseLong(key.substring(0, key.indexOf(':')));
    ProcessHandle.of(pid).flatMap(h -> h.info().startInstant()).ifPresent(started -> System.err.println(
        java.time.Instant.now() + " serving replica on port " + key.substring(key.indexOf(':') + 1) + " ready "
            + java.time.Duration.between(started, java.time.Instant.now()).toMillis() + " ms after its process started"));
  }

  /** One {@code GET /v2/health/ready} over a fresh connection: true on HTTP 200. */
  static boolean answersReady(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
      socket.setSoTimeout(TIMEOUT_MILLIS);
      OutputStream out = socket.getOutputStream();
      out.write(("GET /v2/health/ready HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] head = new byte[12];
      int n = in.readNBytes(head, 0, head.length);
      return n == 12 && new String(head, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200");
    } catch (IOException e) {
      return false;
    }
  }
}
