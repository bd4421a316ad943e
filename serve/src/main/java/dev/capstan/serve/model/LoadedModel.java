package dev.capstan.serve.model;

import dev.capstan.serve.batch.Batcher;
import dev.capstan.serve.engine.Engine;
import dev.capstan.serve.engine.ModelSignature;

/** A model being served: its configuration, engine and batcher. */
public final class LoadedModel implements AutoCloseable {
    private final ModelConfig config;
    private final Engine engine;
    private final Batcher batcher;
    private volatile boolean ready = true;

    public LoadedModel(ModelConfig config, Engine engine, Batcher batcher) {
        this.config = config;
        this.engine = engine;
        this.batcher = batcher;
    }

    public String name() {
        return config.name();
    }

    public String version() {
        return config.version();
    }

    public String platform() {
        return engine.platform();
    }

    public ModelSignature signature() {
        return engine.signature();
    }

    public ModelConfig config() {
        return config;
    }

    public Engine engine() {
        return engine;
    }

    public Batcher batcher() {
        return batcher;
    }

    public boolean ready() {
        return ready;
    }

    public void markUnready() {
        ready = false;
    }

    @Override
    public void close() {
        ready = false;
        batcher.close();
        engine.close();
    }
}
