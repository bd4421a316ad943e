package dev.capstan.serve;

import dev.capstan.serve.fetch.FileRoots;
import dev.capstan.serve.fetch.ModelFetcher;
import dev.capstan.serve.fetch.WorkArea;
import dev.capstan.serve.model.ModelLoader;
import dev.capstan.serve.model.ModelRepository;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The protocol's model repository extension: load and unload models by name. Off unless a token
 * is configured; then each call must present it ({@code Authorization: Bearer <token>}). A model
 * loads from {@code <repositoryRoot>/<name>} (which must really lie there, links followed), or from
 * the {@code storage_uri} parameter under the server's source policy (with an optional
 * {@code sha256} parameter). A fetched model gets a folder of its own in the {@link WorkArea},
 * deleted when the load fails and when the model is unloaded or replaced; the whole area goes when
 * the extension closes.
 */
public final class RepositoryExtension implements AutoCloseable {
    private final ServerConfig config;
    private final ModelRepository models;
    private final ModelLoader loader;
    private final ExecutorService loading = Executors.newSingleThreadExecutor(r -> Thread.ofPlatform().daemon().name("model-loader").unstarted(r));
    /** Created by the first load from a URI, on the loading thread. */
    private volatile WorkArea work;

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
            Optional<Path> folder = Optional.empty();
            boolean loaded = false;
            try {
                Object uri = parameters.get("storage_uri");
                Path dir;
                if (uri instanceof String text && !text.isEmpty()) {
                    folder = Optional.of(workArea().newFolder(name));
                    Object sha = parameters.get("sha256");
                    dir = new ModelFetcher(config.sources()).fetch(URI.create(text), sha instanceof String s ? s : null, folder.get());
                } else {
                    dir = named(name);
                }
                Optional<Path> release = folder;
                models.put(loader.load(dir, name, () -> release.ifPresent(RepositoryExtension::deleteFolder)));
                loaded = true;
            } catch (ServeException e) {
                throw e;
            } catch (Exception e) {
                throw ServeException.badRequest("cannot load model '" + name + "': " + e.getMessage());
            } finally {
                if (!loaded) {
                    folder.ifPresent(RepositoryExtension::deleteFolder);
                }
            }
        }, loading);
    }

    /** {@code <repositoryRoot>/<name>}, confined to the repository root. */
    private Path named(String name) throws IOException {
        if (config.repositoryRoot() == null) {
            throw ServeException.badRequest("no storage_uri given and the server has no model repository directory");
        }
        return FileRoots.confine(config.repositoryRoot().resolve(name), List.of(config.repositoryRoot()));
    }

    private WorkArea workArea() throws IOException {
        if (work == null) {
            work = WorkArea.create();
        }
        return work;
    }

    /** Where fetched models are placed; empty until the first load from a URI. */
    public Optional<Path> workRoot() {
        return Optional.ofNullable(work).map(WorkArea::root);
    }

    private static void deleteFolder(Path folder) {
        try {
            WorkArea.delete(folder);
        } catch (IOException e) {
            System.err.println("capstan-serve: could not delete work folder " + folder + ": " + e);
        }
    }

    public void unload(String name) {
        if (!models.remove(name)) {
            throw ServeException.notFound("model '" + name + "' is not served here");
        }
    }

    @Override
    public void close() {
        loading.shutdownNow();
        WorkArea area = work;
        if (area != null) {
            try {
                area.close();
            } catch (IOException e) {
                System.err.println("capstan-serve: could not delete the work area " + area.root() + ": " + e);
            }
        }
    }
}
