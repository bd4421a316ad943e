package dev.capstan.cli;

import dev.capstan.local.LocalPaths;
import dev.capstan.local.serving.ServeLaunch;
import dev.capstan.local.serving.ServingSetup;
import dev.capstan.local.server.LocalControlPlane;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code capstan server}: runs the local control plane in the foreground. */
@Command(name = "server", description = "Run the local control plane in the foreground (API on 127.0.0.1, for this user"
    + " only: requests carry the token in $CAPSTAN_HOME/token), with the InferenceService gateway beside it.")
final class ServerCommand implements Callable<Integer> {
  @Option(names = "--port", description = "API port on 127.0.0.1 (default: any free port)")
  int port;

  @Option(names = "--gateway-port", description = "InferenceService gateway's REST port on 127.0.0.1 (default: any free port)")
  int gatewayPort;

  @Option(names = "--gateway-grpc-port", description = "The gateway's gRPC port on 127.0.0.1 (default: any free port; -1: off)")
  int gatewayGrpcPort;

  @Option(names = "--serving-standbys", paramLabel = "N",
      description = {"capstan serve processes kept started with no model (default 1, at most " + ServingSetup.MAX_STANDBYS
          + ", 0: none),", "so an InferenceService at zero gets a replica by loading its model instead of starting a JVM."})
  int servingStandbys = ServingSetup.DEFAULT_STANDBYS;

  @Override
  public Integer call() throws Exception {
    LocalPaths paths = LocalPaths.fromEnvironment();
    LocalControlPlane plane;
    try {
      plane = LocalControlPlane.start(paths, port, serving(paths));
    } catch (IllegalStateException | IllegalArgumentException e) {
      throw new CliErrors.UserError(e.getMessage());
    }
    Runtime.getRuntime().addShutdownHook(new Thread(plane::close, "capstan-shutdown"));
    System.err.println("capstan server listening on http://127.0.0.1:" + plane.port() + " (home " + paths.home()
        + ", capacity " + plane.capacity() + ")" + plane.gatewayUrl().map(u -> "; InferenceServices at " + u).orElse(""));
    plane.awaitStop();
    return 0;
  }

  /**
   * Replicas are {@code capstan serve} run by this very JVM binary and class path; models are
   * fetched by serve's guarded fetcher, as {@code capstan fetch} does.
   */
  private ServingSetup serving(LocalPaths paths) {
    if (servingStandbys < 0 || servingStandbys > ServingSetup.MAX_STANDBYS) {
      throw new CliErrors.UserError("--serving-standbys must be between 0 and " + ServingSetup.MAX_STANDBYS + ", not "
          + servingStandbys, 2);
    }
    ModelDownload download = ModelDownload.defaults();
    return new ServingSetup(ServeLaunch.ofThisJvm(Main.class.getName(), paths.home().resolve("serving").resolve("cds")),
        (uri, target) -> download.into(uri, null, target), new EmbeddedGateway(gatewayPort, gatewayGrpcPort),
        servingStandbys);
  }
}
