package dev.capstan.serve.model;

import dev.capstan.serve.batch.BatchObserver;
import dev.capstan.serve.batch.Batcher;
import dev.capstan.serve.engine.Engine;
import dev.capstan.serve.engine.EngineException;
import dev.capstan.serve.engine.EngineOptions;
import dev.capstan.serve.engine.EngineProvider;
import dev.capstan.serve.engine.Engines;
import dev.capstan.serve.fetch.PickleGuard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

/** Turns a model directory (a model file and an optional model.yaml) into a served model. */
public final class ModelLoader {
    private final Engines engines;
    private final Function<String, BatchObserver> observers;

    public ModelLoader(Engines engines, Function<String, BatchObserver> observers) {
        this.engines = engines;
        this.observers = observers;
    }

    public LoadedModel load(Path dir, String nameOverride) throws IOException, EngineException {
        return load(dir, nameOverride, () -> { });
    }

    /** Loads as above; {@code afterClose} runs once the model is closed (a fetched model's work folder goes then). */
    public LoadedModel load(Path dir, String nameOverride, Runnable afterClose) throws IOException, EngineException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("model directory " + dir + " does not exist");
        }
        ModelConfig config = ModelConfig.read(dir, nameOverride);
        Path file = modelFile(dir, config);
        PickleGuard.check(file);
        EngineProvider provider = config.format() != null
                ? engines.byFormat(config.format()).orElseThrow(() -> new IOException(
                        "unknown format '" + config.format() + "'; known: " + engines.formats()))
                : engines.byFile(file).orElseThrow(() -> new IOException(
                        "cannot tell the format of " + file.getFileName() + "; set format in " + ModelConfig.FILE_NAME));
        Engine engine = provider.open(file, new EngineOptions(config.threads(), config.signature()));
        Batcher batcher = new Batcher(config.name(), engine, config.batching(), observers.apply(config.name()));
        return new LoadedModel(config, engine, batcher, afterClose);
    }

    private Path modelFile(Path dir, ModelConfig config) throws IOException {
        if (config.file() != null) {
            Path file = dir.resolve(config.file()).normalize();
            if (!file.startsWith(dir.normalize()) || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException("model file '" + config.file() + "' is not a regular file inside " + dir);
            }
            return file;
        }
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> candidates = files
                    .filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS))
                    .filter(f -> !f.getFileName().toString().equals(ModelConfig.FILE_NAME))
                    .filter(f -> !f.getFileName().toString().startsWith("."))
                    .filter(f -> !f.getFileName().toString().endsWith(".json"))
                    .toList();
            List<Path> recognised = candidates.stream().filter(f -> engines.byFile(f).isPresent()).toList();
            if (recognised.size() == 1) {
                return recognised.get(0);
            }
            if (candidates.size() != 1) {
                // the count only: a load request must not learn what a directory holds
                throw new IOException(dir + " holds " + candidates.size() + " candidate model files, " + recognised.size()
                        + " of a known format; name one with 'file:' in " + ModelConfig.FILE_NAME);
            }
            return candidates.get(0);
        }
    }
}
