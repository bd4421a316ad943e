package dev.capstan.serve;

import dev.capstan.serve.fetch.SourcePolicy;
import dev.capstan.serve.transport.ConnectionLimits;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How a model server listens and what it allows. Port 0 picks a free port; a gRPC port of -1
 * turns gRPC off. The repository extension (load/unload) is on only when {@code repositoryToken}
 * is set, and then every call must carry it as a bearer token.
 */
public record ServerConfig(String host, int httpPort, int grpcPort, int maxBodyBytes, String repositoryToken,
                           Path repositoryRoot, SourcePolicy sources, Duration drainTimeout, ConnectionLimits connections) {
    public static final String NAME = "capstan";
    public static final String VERSION = "0.1.0";

    public static ServerConfig defaults() {
        return new ServerConfig("0.0.0.0", 8080, 8081, 32 * 1024 * 1024, null, null, SourcePolicy.defaults(), Duration.ofSeconds(30),
                ConnectionLimits.defaults());
    }

    public ServerConfig withPorts(int http, int grpc) {
        return new ServerConfig(host, http, grpc, maxBodyBytes, repositoryToken, repositoryRoot, sources, drainTimeout, connections);
    }

    public ServerConfig withHost(String newHost) {
        return new ServerConfig(newHost, httpPort, grpcPort, maxBodyBytes, repositoryToken, repositoryRoot, sources, drainTimeout, connections);
    }

    public ServerConfig withMaxBodyBytes(int bytes) {
        return new ServerConfig(host, httpPort, grpcPort, bytes, repositoryToken, repositoryRoot, sources, drainTimeout, connections);
    }

    public ServerConfig withRepository(String token, Path root, SourcePolicy policy) {
        return new ServerConfig(host, httpPort, grpcPort, maxBodyBytes, token, root, policy, drainTimeout, connections);
    }

    public ServerConfig withConnections(ConnectionLimits limits) {
        return new ServerConfig(host, httpPort, grpcPort, maxBodyBytes, repositoryToken, repositoryRoot, sources, drainTimeout, limits);
    }

    public boolean repositoryEnabled() {
        return repositoryToken != null && !repositoryToken.isEmpty();
    }
}
