package dev.capstan.sim;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;

/**
 * A progress bar on a terminal, redrawn in place when the done share moves by a percent; it draws
 * nothing when the output is not a terminal. Safe to advance from several threads.
 */
public final class ProgressBar implements IntConsumer {
  private static final int WIDTH = 40;

  private final PrintStream out;
  private final long total;
  private final boolean enabled;
  private final AtomicLong done = new AtomicLong();
  private int shownPercent = -1;

  public ProgressBar(PrintStream out, long total, boolean enabled) {
    this.out = out;
    this.total = Math.max(1, total);
    this.enabled = enabled;
  }

  @Override
  public void accept(int steps) {
    long now = done.addAndGet(steps);
    int percent = (int) (100 * Math.min(now, total) / total);
    if (enabled && percent != shownPercent) {
      draw(percent);
    }
  }

  private synchronized void draw(int percent) {
    if (percent <= shownPercent) {
      return;
    }
    shownPercent = percent;
    int filled = percent * WIDTH / 100;
    out.print("\r[" + "#".repeat(filled) + "-".repeat(WIDTH - filled) + "] " + percent + "%");
    if (percent == 100) {
      out.println();
    }
    out.flush();
  }
}
