package dev.capstan.serve;

import dev.capstan.serve.fetch.SourcePolicy;
import dev.capstan.serve.transport.ConnectionLimits;
import dev.capstan.serve.transport.DescriptorLimit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a model server in the foreground until SIGTERM or SIGINT, which drain it:
 * {@code ServeMain --model-dir DIR [--name N] [--port 8080] [--grpc-port 8081] [--host 0.0.0.0]
 * [--repository-dir DIR] [--repository-token-file FILE] [--model-root DIR]… [--allow-private-sources]};
 * the repository token may instead come from {@code $CAPSTAN_REPOSITORY_TOKEN}, never from the
 * command line. {@code file://} model sources must lie under a model root, a model dir or the
 * repository dir. Prints one line
 * {@code capstan-serve ready rest=PORT grpc=PORT} once listening, after a line on standard error
 * with the connection cap. Connections: {@code [--max-connections N]} (default: derived from the
 * open-file limit) {@code [--idle-timeout 120s] [--header-timeout 20s]}.
 */
public final class ServeMain {
    private ServeMain() {
    }

    public static void main(String[] args) throws Exception {
        ServerConfig config = ServerConfig.defaults();
        List<ModelServer.ModelSource> sources = new ArrayList<>();
        String name = null;
        int port = config.httpPort();
        int grpcPort = config.grpcPort();
        Path tokenFile = null;
        Path repositoryDir = null;
        List<Path> fileRoots = new ArrayList<>();
        boolean allowPrivate = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--model-dir" -> {
                    sources.add(new ModelServer.ModelSource(Path.of(args[++i]), null));
                    fileRoots.add(Path.of(args[i]));
                }
                case "--model-root" -> fileRoots.add(Path.of(args[++i]));
                case "--name" -> name = args[++i];
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--grpc-port" -> grpcPort = Integer.parseInt(args[++i]);
                case "--host" -> config = config.withHost(args[++i]);
                case "--max-body-bytes" -> config = config.withMaxBodyBytes(Integer.parseInt(args[++i]));
                case "--repository-token" -> throw new IllegalArgumentException(RepositoryToken.NOT_ON_THE_COMMAND_LINE);
                case "--repository-token-file" -> tokenFile = Path.of(args[++i]);
                case "--repository-dir" -> {
                    repositoryDir = Path.of(args[++i]);
                    fileRoots.add(repositoryDir);
                }
                case "--allow-private-sources" -> allowPrivate = true;
                case "--max-connections" -> config = config.withConnections(config.connections().withMaxConnections(Integer.parseInt(args[++i])));
                case "--idle-timeout" -> config = config.withConnections(config.connections()
                        .withIdleTimeout(ConnectionLimits.parseDuration(args[i], args[++i])));
                case "--header-timeout" -> config = config.withConnections(config.connections()
                        .withHeaderTimeout(ConnectionLimits.parseDuration(args[i], args[++i])));
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (name != null && sources.size() == 1) {
            sources.set(0, new ModelServer.ModelSource(sources.get(0).dir(), name));
        }
        config = config.withPorts(port, grpcPort).withRepository(RepositoryToken.read(tokenFile, System.getenv()), repositoryDir,
                SourcePolicy.defaults().withPrivateAddresses(allowPrivate).withFileRoots(fileRoots));
        run(config, sources);
    }

    /** Starts the server, prints the ready line and blocks until a signal has drained it. */
    public static void run(ServerConfig config, List<ModelServer.ModelSource> sources) throws Exception {
        ModelServer server = ModelServer.start(config, sources);
        CountDownLatch drained = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.drain();
            drained.countDown();
        }, "capstan-serve-drain"));
        System.err.println(connectionsLine(config, server));
        System.out.println("capstan-serve ready rest=" + server.httpPort() + " grpc=" + server.grpcPort());
        System.out.flush();
        drained.await();
    }

    private static String connectionsLine(ServerConfig config, ModelServer server) {
        DescriptorLimit limit = server.descriptors();
        String line = "capstan-serve connections: at most " + server.connections().cap() + " open (" + limit + ")";
        if (config.connections().maxConnections() > limit.connectionCap()) {
            line += "; --max-connections is more than the limit leaves room for: past it, accepting fails and idle connections are shed";
        }
        if (limit.known() && limit.soft() < limit.hard()) {
            line += "; the soft limit is below the hard one: run java without -XX:-MaxFDLimit to raise it";
        }
        return line;
    }
}
