package dev.capstan.serve.engine.capstandjl;

import dev.capstan.serve.engine.Engine;
import dev.capstan.serve.engine.EngineException;
import dev.capstan.serve.engine.EngineOptions;
import dev.capstan.serve.engine.EngineProvider;
import java.nio.file.Path;

/**
 * Opens the model directories that capstan-train writes ({@code format: capstan-djl}: model.yaml
 * with the architecture and signature, model.safetensors with the parameters).
 */
public final class CapstanDjlEngineProvider implements EngineProvider {
    @Override
    public String format() {
        return CapstanDjlEngine.FORMAT;
    }

    @Override
    public boolean recognises(Path modelFile) {
        return modelFile.getFileName().toString().endsWith(".safetensors");
    }

    @Override
    public Engine open(Path modelFile, EngineOptions options) throws EngineException {
        return CapstanDjlEngine.open(modelFile, options);
    }
}
