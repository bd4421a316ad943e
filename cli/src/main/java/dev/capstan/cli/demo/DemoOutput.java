package dev.capstan.cli.demo;

import java.io.Console;
import java.io.PrintStream;

/**
 * Where the demo prints: on a terminal, a live block of lines redrawn in place (ANSI cursor moves);
 * otherwise (a pipe, a file, CI) plain lines, one per change worth reading.
 */
public final class DemoOutput {
  private final PrintStream out;
  private final boolean terminal;
  private int liveLines;

  public DemoOutput(PrintStream out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  /** Whether stdout is a terminal (JDK 22+ answers through Console.isTerminal; before, a console is one). */
  public static boolean stdoutIsTerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }

  boolean terminal() {
    return terminal;
  }

  /** A line that stays; ends any live block first. */
  void line(String text) {
    liveLines = 0;
    out.println(text);
    out.flush();
  }

  /** On a terminal, replaces the live block with these lines; elsewhere prints them. */
  void live(String... lines) {
    if (terminal && liveLines > 0) {
      out.print("\033[" + liveLines + "A");
    }
    for (String l : lines) {
      out.print(terminal ? "\033[2K" + l + "\n" : l + "\n");
    }
    liveLines = terminal ? lines.length : 0;
    out.flush();
  }
}
