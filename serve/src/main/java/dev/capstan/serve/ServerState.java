package dev.capstan.serve;

import dev.capstan.serve.model.ModelRepository;

/** Liveness and readiness: ready while not draining and every model is ready. */
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

    public boolean draining() {
        return draining;
    }

    public void startDraining() {
        draining = true;
    }
}
