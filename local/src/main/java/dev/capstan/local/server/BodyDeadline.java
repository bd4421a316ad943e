package dev.capstan.local.server;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A deadline for reading one request's body. A client that promises more bytes than it sends (a
 * {@code Content-Length} larger than the body) gets a 400 with {@code {"error": …}} when the
 * deadline passes, and the connection is closed, instead of a handler thread waiting forever.
 */
final class BodyDeadline {
  private static final ScheduledThreadPoolExecutor TIMER = timer();

  private final AtomicBoolean settled = new AtomicBoolean();
  private final ScheduledFuture<?> expiry;

  private BodyDeadline(HttpExchange ex, Duration timeout) {
    Thread reader = Thread.currentThread();
    this.expiry = TIMER.schedule(() -> expire(ex, reader, timeout), timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Starts the clock for the body that the calling thread is about to read. */
  static BodyDeadline start(HttpExchange ex, Duration timeout) {
    return new BodyDeadline(ex, timeout);
  }

  /** Stops the clock: true when the body arrived in time, false when the deadline has already answered. */
  boolean stop() {
    expiry.cancel(false);
    return settled.compareAndSet(false, true);
  }

  /**
   * Answers 400 while the reader is still blocked, then interrupts it: its socket channel closes,
   * so the read ends. The reply is written without closing the exchange's streams, which would
   * wait for the very read that is stuck.
   */
  private void expire(HttpExchange ex, Thread reader, Duration timeout) {
    if (!settled.compareAndSet(false, true)) {
      return;
    }
    try {
      byte[] reply = HttpExchanges.errorBody("the request body did not arrive within " + timeout.toSeconds()
          + "s (Content-Length: " + ex.getRequestHeaders().getFirst("Content-Length") + ")", List.of());
      ex.getResponseHeaders().set("Content-Type", "application/json");
      ex.getResponseHeaders().set("Connection", "close");
      ex.sendResponseHeaders(400, reply.length);
      OutputStream out = ex.getResponseBody();
      out.write(reply);
      out.flush();
    } catch (IOException e) {
      // the client is gone; closing the connection is all that is left
    } finally {
      reader.interrupt();
    }
  }

  private static ScheduledThreadPoolExecutor timer() {
    ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "capstan-api-body-deadline");
      t.setDaemon(true);
      return t;
    });
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }
}
