package dev.capstan.local.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The control loop's thread outlives whatever a pass throws, and says so in the log. */
class ControlLoopThreadTest {
  private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
    Instant deadline = Instant.now().plusSeconds(30);
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(10);
    }
  }

  @Test
  void passesGoOnAfterAnOutOfMemoryErrorAndTheLogSaysWhy() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream log = new PrintStream(out, true, StandardCharsets.UTF_8);
    ControlLoopThread loop = new ControlLoopThread(() -> {
      if (calls.incrementAndGet() <= 2) {
        throw new OutOfMemoryError("Java heap space");
      }
    }, log);
    loop.start();
    try {
      awaitTrue(() -> calls.get() >= 5, "passes after two failed ones");
    } finally {
      loop.stop(Duration.ofSeconds(10));
    }
    String logged = out.toString(StandardCharsets.UTF_8);
    assertTrue(logged.contains("control loop pass failed (2 in a row; next pass in 400 ms): java.lang.OutOfMemoryError: Java heap space"),
        logged);
    assertTrue(logged.contains("\tat "), "the stack trace is logged: " + logged);
  }

  @Test
  void aThreadThatDiesIsReplaced() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    AtomicInteger writes = new AtomicInteger();
    // Logging the first failure itself fails, so the failure escapes the thread's own catch.
    PrintStream brokenOnce = new PrintStream(new OutputStream() {
      @Override
      public void write(int b) {
        if (writes.incrementAndGet() == 1) {
          throw new IllegalStateException("log unavailable");
        }
      }
    }, true, StandardCharsets.UTF_8);
    ControlLoopThread loop = new ControlLoopThread(() -> {
      if (calls.incrementAndGet() == 1) {
        throw new IllegalStateException("first pass fails");
      }
    }, brokenOnce);
    loop.start();
    try {
      awaitTrue(() -> calls.get() >= 3, "passes on a replacement thread");
    } finally {
      loop.stop(Duration.ofSeconds(10));
    }
  }
}
