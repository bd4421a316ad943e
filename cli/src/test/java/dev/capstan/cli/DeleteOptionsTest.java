package dev.capstan.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code capstan delete} waits by default and with {@code --wait}, and returns at once with {@code --no-wait}. */
class DeleteOptionsTest {
  private static DeleteCommand parsed(String... args) {
    DeleteCommand command = new DeleteCommand();
    new CommandLine(command).parseArgs(args);
    return command;
  }

  @Test
  void noWaitMeansNoWait() {
    assertFalse(parsed("trainingjob", "x").noWait, "deleting waits by default");
    assertFalse(parsed("trainingjob", "x", "--wait").noWait, "--wait waits");
    assertTrue(parsed("trainingjob", "x", "--no-wait").noWait, "--no-wait does not wait");
  }
}
