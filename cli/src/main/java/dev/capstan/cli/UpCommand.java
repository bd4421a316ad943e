package dev.capstan.cli;

import dev.capstan.local.LocalPaths;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code capstan up}: starts the local control plane in the background. */
@Command(name = "up", description = "Start the local control plane in the background.")
final class UpCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    LocalPaths paths = LocalPaths.fromEnvironment();
    if (ServerConnection.find(paths).isPresent()) {
      System.out.println("capstan server already running (home " + paths.home() + ")");
      return 0;
    }
    long pid = ServerConnection.startInBackground(paths);
    ServerConnection.awaitHealthy(paths, pid);
    System.out.println("capstan server started (pid " + pid + ", log " + paths.serverLog() + ")");
    return 0;
  }
}
