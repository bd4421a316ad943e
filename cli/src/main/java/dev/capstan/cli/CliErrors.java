package dev.capstan.cli;

import java.io.FileNotFoundException;
import java.net.ConnectException;
import java.nio.file.NoSuchFileException;

/** Maps exceptions that reach the top of a command to a one-line message and an exit code. */
public final class CliErrors {
  private CliErrors() {}

  /** A failure the user caused or can fix; its message is already the whole story. */
  public static final class UserError extends RuntimeException {
    private final int exitCode;

    public UserError(String message) {
      this(message, 1);
    }

    public UserError(String message, int exitCode) {
      super(message);
      this.exitCode = exitCode;
    }

    public int exitCode() {
      return exitCode;
    }
  }

  static String describe(Throwable ex) {
    if (ex instanceof UserError) {
      return ex.getMessage();
    }
    if (ex instanceof NoSuchFileException || ex instanceof FileNotFoundException) {
      return "no such file: " + ex.getMessage();
    }
    if (ex instanceof ConnectException) {
      return "cannot reach the Capstan server: " + ex.getMessage();
    }
    String message = ex.getMessage();
    return message == null || message.isBlank() ? ex.getClass().getSimpleName() : message;
  }

  static int exitCode(Throwable ex) {
    return ex instanceof UserError user ? user.exitCode() : 1;
  }
}
