package dev.capstan.serve;

import dev.capstan.serve.fetch.ModelFetcher;
import dev.capstan.serve.model.LoadedModel;
import dev.capstan.serve.model.ModelLoader;
import dev.capstan.serve.model.ModelRepository;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The protocol's model repository extension: load and unload models by name. Off unless a token
 * is configured; then each call must present it ({@code Authorization: Bearer <token>}). A model
 * loads from {@code <repositoryRoot>/<name>}, or from the {@code storage_uri} parameter under the
 * server's source policy (with an optional {@code sha256} parameter).
 */
public final class RepositoryExtension implements AutoCloseable {
    private final ServerConfig config;
    private final ModelRepository models;
    private final ModelLoader loader;
    private final ExecutorService loading = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name("model-loader").unstarted(r));

    public RepositoryExtension(ServerConfig config, ModelRepository models, ModelLoader loader) {
        this.config = config;
        this.models = models;
        this.loader = loader;
    }

    public boolean enabled() {
        return config.repositoryEnabled();
    }

    /** Checks the caller's bearer token; throws NOT_FOUND when the extension is off, UNAUTHORIZED on a wrong token. */
    public void authorize(String authorization) {
        if (!enabled()) {
            throw ServeException.notFound("the model repository extension is off; start the server with a repository token to use it");
        }
        String presented = authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7).trim() : "";
        if (!MessageDigest.isEqual(presented.getBytes(StandardCharsets.UTF_8), config.repositoryToken().getBytes(StandardCharsets.UTF_8))) {
            throw new ServeException(ServeStatus.UNAUTHORIZED, "a valid repository token is required");
        }
    }

    public CompletableFuture<Void> load(String name, Map<String, Object> parameters) {
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}")) {
            throw ServeException.badRequest("model name '" + name + "' must be letters, digits, '.', '_' or '-'");
        }
        return CompletableFuture.runAsync(() -> {
            try {
                Path dir = source(name, parameters);
                LoadedModel model = loader.load(dir, name);
                models.put(model);
            } catch (ServeException e) {
                throw e;
            } catch (Exception e) {
                throw ServeException.badRequest("cannot load model '" + name + "': " + e.getMessage());
            }
        }, loading);
    }

    private Path source(String name, Map<String, Object> parameters) throws Exception {
        Object uri = parameters.get("storage_uri");
        if (uri instanceof String text && !text.isEmpty()) {
            Path work = Files.createTempDirectory("capstan-model-" + name + "-");
            Object sha = parameters.get("sha256");
            return new ModelFetcher(config.sources()).fetch(URI.create(text), sha instanceof String s ? s : null, work);
        }
        if (config.repositoryRoot() == null) {
            throw ServeException.badRequest("no storage_uri given and the server has no model repository directory");
        }
        return config.repositoryRoot().resolve(name);
    }

    public void unload(String name) {
        if (!models.remove(name)) {
            throw ServeException.notFound("model '" + name + "' is not served here");
        }
    }

    @Override
    public void close() {
        loading.shutdownNow();
    }
}
