package dev.capstan.serve.model;

import dev.capstan.serve.ServeException;
import dev.capstan.serve.ServeStatus;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The models this server holds, by name. */
public final class ModelRepository implements AutoCloseable {
    private final Map<String, LoadedModel> models = new ConcurrentHashMap<>();

    /** Adds a model; a model of the same name is replaced and closed once its requests drain. */
    public void put(LoadedModel model) {
        LoadedModel previous = models.put(model.name(), model);
        if (previous != null) {
            retire(previous);
        }
    }

    /** The model, ready, at the version asked for (any version when {@code version} is null or empty). */
    public LoadedModel ready(String name, String version) {
        LoadedModel model = find(name, version);
        if (!model.ready()) {
            throw new ServeException(ServeStatus.UNAVAILABLE, "model '" + name + "' is not ready");
        }
        return model;
    }

    /** The model at the version asked for, ready or not; 404 when there is none. */
    public LoadedModel find(String name, String version) {
        LoadedModel model = models.get(name);
        if (model == null) {
            throw ServeException.notFound("model '" + name + "' is not served here");
        }
        if (version != null && !version.isEmpty() && !version.equals(model.version())) {
            throw ServeException.notFound("model '" + name + "' has no version '" + version + "' (serving '" + model.version() + "')");
        }
        return model;
    }

    public boolean remove(String name) {
        LoadedModel model = models.remove(name);
        if (model == null) {
            return false;
        }
        retire(model);
        return true;
    }

    public Collection<LoadedModel> all() {
        return models.values();
    }

    public boolean allReady() {
        return models.values().stream().allMatch(LoadedModel::ready);
    }

    private static void retire(LoadedModel model) {
        model.markUnready();
        model.batcher().stopAccepting();
        Thread.ofPlatform().daemon().name("retire-" + model.name()).start(() -> {
            try {
                model.batcher().awaitIdle(model.config().batching().timeout().plusSeconds(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            model.close();
        });
    }

    @Override
    public void close() {
        models.values().forEach(LoadedModel::close);
        models.clear();
    }
}
