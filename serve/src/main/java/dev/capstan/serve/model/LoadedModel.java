package dev.capstan.serve.model;

import dev.capstan.serve.batch.Batcher;
import dev.capstan.serve.engine.Engine;
import dev.capstan.serve.engine.ModelSignature;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A model being served: its configuration, engine and batcher, and what to release once it is
 * closed (the work folder a fetched model was placed in).
 */
public final class LoadedModel implements AutoCloseable {
    private final ModelConfig config;
    private final Engine engine;
    private final Batcher batcher;
    private final Runnable afterClose;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean ready = true;

    public LoadedModel(ModelConfig config, Engine engine, Batcher batcher) {
        this(config, engine, batcher, () -> { });
    }

    public LoadedModel(ModelConfig config, Engine engine, Batcher batcher, Runnable afterClose) {
        this.config = config;
        this.engine = engine;
        this.batcher = batcher;
        this.afterClose = afterClose;
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

    /** Stops the batcher and engine, then runs the release action; only the first call does anything. */
    @Override
    public void close() {
        ready = false;
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            batcher.close();
            engine.close();
        } finally {
            afterClose.run();
        }
    }
}
