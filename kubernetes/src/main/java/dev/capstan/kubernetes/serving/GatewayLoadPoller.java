package dev.capstan.kubernetes.serving;

import dev.capstan.core.ports.Clock;
import dev.capstan.core.serving.GatewayFeedback;
import dev.capstan.core.serving.RevisionLoad;
import dev.capstan.kubernetes.gateway.LoadReport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's side of the gateway's feedback in cluster mode. The autoscaler runs in the
 * operator's leader; the gateway runs in its own pods. Rather than have every gateway pod find the
 * leader, the leader reads each gateway pod: one long poll per pod on {@code GET
 * /capstan/v1/load}, which answers at once when the pod asks for a scale-from-zero and otherwise
 * with each load report (once a second). Scale-from-zero requests are passed on as they arrive;
 * once a second the loads of every pod heard from lately are summed per revision and reported.
 * Only a leader polls or reports; a gateway pod that stops answering drops out of the sum.
 */
public final class GatewayLoadPoller implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GatewayLoadPoller.class);
  static final Duration REPORT_EVERY = Duration.ofSeconds(1);
  /** A gateway pod not heard from for this long is left out of the sum. */
  static final Duration STALE_AFTER = Duration.ofSeconds(5);
  private static final long WAIT_MS = 2_000;
  /** The most a gateway pod's answer may hold (thousands of revisions fit well within it). */
  private static final int MAX_BODY = 4 << 20;

  private record Heard(long atNanos, List<RevisionLoad> loads) {}

  private final Supplier<Set<URI>> gateways;
  private final GatewayFeedback feedback;
  private final BooleanSupplier leading;
  private final Clock clock;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Map<URI, Heard> heard = new ConcurrentHashMap<>();
  private final Map<URI, Thread> polls = new ConcurrentHashMap<>();
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "capstan-gateway-loads");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean closed;

  /** {@code gateways}: the base URIs of the gateway pods' load endpoints, read once a second. */
  public GatewayLoadPoller(Supplier<Set<URI>> gateways, GatewayFeedback feedback, BooleanSupplier leading, Clock clock) {
    this.gateways = gateways;
    this.feedback = feedback;
    this.leading = leading;
    this.clock = clock;
  }

  public GatewayLoadPoller start() {
    ticker.scheduleWithFixedDelay(this::tick, 0, REPORT_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  private void tick() {
    try {
      Set<URI> current = gateways.get();
      polls.entrySet().removeIf(poll -> {
        if (current.contains(poll.getKey())) {
          return false;
        }
        poll.getValue().interrupt();
        heard.remove(poll.getKey());
        return true;
      });
      current.forEach(uri -> polls.computeIfAbsent(uri, u -> Thread.ofVirtual().name("capstan-gateway-poll " + u).start(() -> poll(u))));
      long now = System.nanoTime();
      heard.values().removeIf(h -> now - h.atNanos() > STALE_AFTER.toNanos());
      if (leading.getAsBoolean() && !heard.isEmpty()) {
        feedback.reportLoad(LoadSum.of(heard.values().stream().map(Heard::loads).toList(), clock.now()));
      }
    } catch (RuntimeException e) {
      LOG.warn("gateway loads: {}", e.toString());
    }
  }

  private void poll(URI gateway) {
    long after = 0;
    while (!closed && !Thread.currentThread().isInterrupted()) {
      try {
        if (!leading.getAsBoolean()) {
          Thread.sleep(REPORT_EVERY.toMillis());
          continue;
        }
        LoadReport report = read(gateway, after);
        if (report.sequence() < after) {
          after = 0; // the gateway pod restarted: read everything it has kept
          continue;
        }
        after = report.sequence();
        heard.put(gateway, new Heard(System.nanoTime(), report.loads()));
        report.scaleFromZero().forEach(feedback::scaleFromZero);
      } catch (InterruptedException e) {
        return; // the pod is gone, or the poller closed
      } catch (Exception e) {
        heard.remove(gateway);
        LOG.debug("gateway {}: {}", gateway, e.toString());
        try {
          Thread.sleep(REPORT_EVERY.toMillis());
        } catch (InterruptedException stop) {
          return;
        }
      }
    }
  }

  private LoadReport read(URI gateway, long after) throws java.io.IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(gateway.resolve(LoadReport.PATH + "?after=" + after + "&waitMs=" + WAIT_MS))
        .timeout(Duration.ofMillis(WAIT_MS + 3_000)).GET().build();
    HttpResponse<java.io.InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    byte[] body;
    try (java.io.InputStream in = response.body()) {
      body = in.readNBytes(MAX_BODY + 1);
    }
    if (body.length > MAX_BODY) {
      throw new java.io.IOException("answer larger than " + MAX_BODY + " bytes");
    }
    String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
    if (response.statusCode() != 200) {
      throw new java.io.IOException("HTTP " + response.statusCode() + ": " + text);
    }
    return LoadReport.fromJson(text);
  }

  @Override
  public void close() {
    closed = true;
    ticker.shutdownNow();
    polls.values().forEach(Thread::interrupt);
    polls.clear();
    http.close();
  }
}
