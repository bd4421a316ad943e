package dev.capstan.serve;

import dev.capstan.serve.fetch.SourcePolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs a model server in the foreground until SIGTERM or SIGINT, which drain it:
 * {@code ServeMain --model-dir DIR [--name N] [--port 8080] [--grpc-port 8081] [--host 0.0.0.0]
 * [--repository-dir DIR] [--repository-token T] [--allow-private-sources]}. Prints one line
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
        String token = null;
        Path repositoryDir = null;
        boolean allowPrivate = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--model-dir" -> sources.add(new ModelServer.ModelSource(Path.of(args[++i]), null));
                case "--name" -> name = args[++i];
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--grpc-port" -> grpcPort = Integer.parseInt(args[++i]);
                case "--host" -> config = config.withHost(args[++i]);
                case "--max-body-bytes" -> config = config.withMaxBodyBytes(Integer.parseInt(args[++i]));
                case "--repository-token" -> token = args[++i];
                case "--repository-dir" -> repositoryDir = Path.of(args[++i]);
                case "--allow-private-sources" -> allowPrivate = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (name != null && sources.size() == 1) {
            sources.set(0, new ModelServer.ModelSource(sources.get(0).dir(), name));
        }
        config = config.withPorts(port, grpcPort)
                .withRepository(token, repositoryDir, SourcePolicy.defaults().withPrivateAddresses(allowPrivate));
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
