package dev.capstan.serve;

import dev.capstan.serve.model.LoadedModel;
import dev.capstan.serve.model.ModelRepository;

/** Liveness and readiness: the server and each model are ready only while not draining. */
public final class ServerState {
    private final ModelRepository models;
    private volatile boolean draining;

    public ServerState(ModelRepository models) {
        this.models = models;
    }

    public boolean live() {
        return true;
    }

    public boolean ready() {
        return !draining && models.allReady();
    }

    /** What the model-level readiness endpoints answer: false once a drain has begun, as for the server. */
    public boolean ready(LoadedModel model) {
        return !draining && model.ready();
    }

    public boolean draining() {
        return draining;
    }

    public void startDraining() {
        draining = true;
    }
}
