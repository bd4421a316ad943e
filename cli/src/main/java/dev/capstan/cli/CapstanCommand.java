package dev.capstan.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

/**
 * The root of the {@code capstan} command; each subcommand is one class beside this one. Its
 * {@code --help} and {@code --version} are inherited, so every subcommand answers them too.
 */
@Command(
    name = "capstan",
    mixinStandardHelpOptions = true,
    scope = ScopeType.INHERIT,
    versionProvider = CapstanVersion.class,
    description = "Run machine-learning workloads on one machine or on Kubernetes.",
    subcommands = {
      // start here
      DemoCommand.class,
      // control plane
      ServerCommand.class,
      UpCommand.class,
      DownCommand.class,
      ApplyCommand.class,
      GetCommand.class,
      DescribeCommand.class,
      LogsCommand.class,
      DeleteCommand.class,
      WaitCommand.class,
      RunCommand.class,
      RenderCommand.class,
      // model registry
      ModelsCommand.class,
      LineageCommand.class,
      // workloads
      TrainCommand.class,
      // serving
      ServeCommand.class,
      PredictCommand.class,
      FetchCommand.class,
      GatewayCommand.class,
      // simulation
      SimCommand.class,
    })
public final class CapstanCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }
}
