package dev.capstan.cli;

import dev.capstan.serve.ModelServer;
import dev.capstan.serve.RepositoryToken;
import dev.capstan.serve.ServeMain;
import dev.capstan.serve.ServerConfig;
import dev.capstan.serve.fetch.SourcePolicy;
import dev.capstan.serve.transport.ConnectionLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code capstan serve}: a model server in the foreground (Open Inference Protocol, REST and gRPC). */
@Command(name = "serve", mixinStandardHelpOptions = true,
    description = {"Serve a model directory over the Open Inference Protocol (REST and gRPC) until SIGTERM or Ctrl-C,",
        "which drain it: readiness turns false and every accepted request is answered before exit.",
        "With the repository extension on, --model-dir may be left out: the server starts with no model",
        "and serves what is loaded into it (POST /v2/repository/models/{name}/load)."})
public final class ServeCommand implements Callable<Integer> {
  @Option(names = "--model-dir", paramLabel = "DIR",
      description = {"Directory with the model file (model.onnx, model.pt) and an optional model.yaml.",
          "Required unless a repository token is given."})
  Path modelDir;

  @Option(names = "--name", description = "Name to serve the model under (default: model.yaml's name or the directory's).")
  String name;

  @Option(names = "--port", description = "REST port (8080; 0 picks a free one).")
  int port = 8080;

  @Option(names = "--grpc-port", description = "gRPC port (8081; 0 picks a free one, -1 turns gRPC off).")
  int grpcPort = 8081;

  @Option(names = "--host", description = "Address to listen on (0.0.0.0).")
  String host = "0.0.0.0";

  @Option(names = "--repository-token-file", paramLabel = "FILE",
      description = {"File holding a token that turns on load/unload; calls must send it as a bearer token.",
          "Or set $" + RepositoryToken.ENV + ". Never on the command line, where every local user can read it."})
  Path repositoryTokenFile;

  @Option(names = "--repository-token", hidden = true, description = "Refused: see --repository-token-file.")
  String repositoryTokenOnCommandLine;

  @Option(names = "--repository-dir", paramLabel = "DIR",
      description = "Where load/unload finds models by name (default: the directory holding --model-dir).")
  Path repositoryDir;

  @Option(names = "--model-root", paramLabel = "DIR",
      description = {"A directory file:// model sources may come from (repeatable); --model-dir and",
          "--repository-dir are roots too. Links are followed before the check."})
  List<Path> modelRoots = new ArrayList<>();

  @Option(names = "--max-connections", paramLabel = "N",
      description = "Most connections open at once, REST and gRPC together (default: derived from the open-file limit).")
  int maxConnections = ConnectionLimits.DERIVED;

  @Option(names = "--idle-timeout", paramLabel = "DURATION",
      description = "Close a connection idle this long between requests (120s; e.g. 500ms, 20s, 2m).")
  String idleTimeout = "120s";

  @Option(names = "--header-timeout", paramLabel = "DURATION",
      description = "A request's headers must arrive within this time of their first byte, else 408 (20s).")
  String headerTimeout = "20s";

  @Override
  public Integer call() throws Exception {
    if (repositoryTokenOnCommandLine != null) {
      throw new CliErrors.UserError(RepositoryToken.NOT_ON_THE_COMMAND_LINE, 2);
    }
    if (modelDir != null && !Files.isDirectory(modelDir)) {
      throw new CliErrors.UserError("--model-dir " + modelDir + " is not a directory");
    }
    if (modelDir == null && name != null) {
      throw new CliErrors.UserError("--name names the model of --model-dir; without one, a load call names its model", 2);
    }
    Path repository = repositoryDir != null ? repositoryDir : modelDir == null ? null : modelDir.toAbsolutePath().getParent();
    List<Path> fileRoots = new ArrayList<>(modelRoots);
    if (modelDir != null) {
      fileRoots.add(modelDir);
    }
    if (repository != null) {
      fileRoots.add(repository);
    }
    ServerConfig config;
    try {
      config = ServerConfig.defaults().withHost(host).withPorts(port, grpcPort).withRepository(
          RepositoryToken.read(repositoryTokenFile, System.getenv()), repository,
          SourcePolicy.defaults().withFileRoots(fileRoots)).withConnections(connectionLimits());
    } catch (java.io.IOException | IllegalArgumentException e) {
      throw new CliErrors.UserError(e.getMessage(), 2);
    }
    if (modelDir == null && !config.repositoryEnabled()) {
      throw new CliErrors.UserError("--model-dir is required unless the repository extension is on (--repository-token-file "
          + "or $" + RepositoryToken.ENV + "): with neither, the server would have nothing to serve", 2);
    }
    try {
      ServeMain.run(config, modelDir == null ? List.of() : List.of(new ModelServer.ModelSource(modelDir, name)));
    } catch (java.io.IOException e) {
      throw new CliErrors.UserError("cannot serve " + modelDir + ": " + e.getMessage());
    }
    return 0;
  }

  private ConnectionLimits connectionLimits() {
    if (maxConnections < 0) {
      throw new IllegalArgumentException("--max-connections must be at least 1 (or 0: derived from the open-file limit), not " + maxConnections);
    }
    return ConnectionLimits.defaults().withMaxConnections(maxConnections)
        .withIdleTimeout(ConnectionLimits.parseDuration("--idle-timeout", idleTimeout))
        .withHeaderTimeout(ConnectionLimits.parseDuration("--header-timeout", headerTimeout));
  }
}
