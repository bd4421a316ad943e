package dev.capstan.sim;

import java.nio.file.Path;

/** A trace file that cannot be read: which file, which line (1 is the header), and why. */
public final class TraceFormatException extends Exception {
  private final int line;

  public TraceFormatException(Path file, int line, String reason) {
    super(file + (line > 0 ? ":" + line : "") + ": " + reason);
    this.line = line;
  }

  /** The line at fault, counting the header as line 1; 0 for the file as a whole. */
  public int line() {
    return line;
  }
}
