package dev.capstan.serve;

import dev.capstan.serve.fetch.SourcePolicy;
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
 * {@code capstan-serve ready rest=PORT grpc=PORT} once listening.
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
        System.out.println("capstan-serve ready rest=" + server.httpPort() + " grpc=" + server.grpcPort());
        System.out.flush();
        drained.await();
    }
}
