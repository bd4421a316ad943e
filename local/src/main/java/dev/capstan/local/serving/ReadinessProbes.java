package dev.capstan.local.serving;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * Polls starting replicas' {@code GET /v2/health/ready} (every 20 ms, so a cold start is seen as
 * soon as it is over) until they answer 200 or their process goes, and remembers which processes
 * were found ready. Each probe is a short connection of its own on a virtual thread; a found
 * replica calls {@code onReady} so the controller routes to it without waiting for its next tick.
 * A standby taken as a replica is ready only once it serves the revision's model, which the
 * probe asks it to load ({@link #loaded}): its {@code /v2/health/ready} says only that it listens.
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

  /**
   * Whether this process, a standby taken as a replica, serves {@code model}; starts making it so
   * when not yet: once the server answers, it is asked whether the model is ready (a server that
   * restarted finds it loaded already) and otherwise to load it from {@code modelDir}. A load the
   * server refuses is handed to {@code onRefused} with the server's reason, and the process is
   * never found ready.
   */
  boolean loaded(long pid, int port, String model, Path modelDir, String token, BooleanSupplier stillRunning,
      Consumer<String> onRefused) {
    String key = pid + ":" + port;
    if (ready.containsKey(key)) {
      return true;
    }
    if (probing.add(key)) {
      Thread.ofVirtual().name("capstan-load-" + key).start(() -> load(key, port, model, modelDir, token, stillRunning, onRefused));
    }
    return false;
  }

  private void load(String key, int port, String model, Path modelDir, String token, BooleanSupplier stillRunning,
      Consumer<String> onRefused) {
    try {
      while (stillRunning.getAsBoolean()) {
        if (answersReady(port)) {
          long asked = System.nanoTime();
          Optional<String> refusal = modelReady(port, model) ? Optional.empty() : ModelLoadCall.load(port, model, modelDir, token);
          if (refusal.isPresent()) {
            onRefused.accept(refusal.get());
            return;
          }
          ready.put(key, true);
          System.err.println(java.time.Instant.now() + " serving replica on port " + port + " ready: a standby loaded model "
              + model + " in " + (System.nanoTime() - asked) / 1_000_000 + " ms");
          onReady.run();
          return;
        }
        Thread.sleep(INTERVAL);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.io.IOException e) {
      onRefused.accept("the load call failed: " + e.getMessage());
    } finally {
      probing.remove(key);
    }
  }

  /** Whether {@code GET /v2/models/{model}/ready} says the model is ready. */
  private static boolean modelReady(int port, String model) {
    return get(port, "/v2/models/" + model + "/ready").filter(r -> r.startsWith("HTTP/1.1 200") && r.contains("\"ready\":true"))
        .isPresent();
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
    return get(port, "/v2/health/ready").filter(r -> r.startsWith("HTTP/1.1 200")).isPresent();
  }

  /** One GET over a fresh connection: the start of the answer (status line, headers, some body), empty when none came. */
  private static Optional<String> get(int port, String path) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
      socket.setSoTimeout(TIMEOUT_MILLIS);
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] head = in.readNBytes(4096);
      return head.length >= 12 ? Optional.of(new String(head, StandardCharsets.US_ASCII)) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
