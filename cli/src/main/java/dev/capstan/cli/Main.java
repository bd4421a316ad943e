package dev.capstan.cli;

import picocli.CommandLine;

/** Entry point: turns every failure into one clear line on stderr and a non-zero exit. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(run(args));
  }

  public static int run(String... args) {
    CommandLine cli = new CommandLine(new CapstanCommand());
    cli.setExecutionExceptionHandler(
        (ex, cmd, parsed) -> {
          cmd.getErr().println("error: " + CliErrors.describe(ex));
          return CliErrors.exitCode(ex);
        });
    return cli.execute(args);
  }
}
