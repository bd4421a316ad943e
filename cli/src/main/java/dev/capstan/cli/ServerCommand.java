package dev.capstan.cli;

import dev.capstan.local.LocalPaths;
import dev.capstan.local.server.LocalControlPlane;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code capstan server}: runs the local control plane in the foreground. */
@Command(name = "server", description = "Run the local control plane in the foreground (API on 127.0.0.1, for this user"
    + " only: requests carry the token in $CAPSTAN_HOME/token).")
final class ServerCommand implements Callable<Integer> {
  @Option(names = "--port", description = "API port on 127.0.0.1 (default: any free port)")
  int port;

  @Override
  public Integer call() throws Exception {
    LocalPaths paths = LocalPaths.fromEnvironment();
    LocalControlPlane plane;
    try {
      plane = LocalControlPlane.start(paths, port);
    } catch (IllegalStateException e) {
      throw new CliErrors.UserError(e.getMessage());
    }
    Runtime.getRuntime().addShutdownHook(new Thread(plane::close, "capstan-shutdown"));
    System.err.println("capstan server listening on http://127.0.0.1:" + plane.port() + " (home " + paths.home()
        + ", capacity " + plane.capacity() + ")");
    plane.awaitStop();
    return 0;
  }
}
