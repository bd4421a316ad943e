package dev.capstan.serve.engine.onnx;

import dev.capstan.serve.engine.Engine;
import dev.capstan.serve.engine.EngineException;
import dev.capstan.serve.engine.EngineOptions;
import dev.capstan.serve.engine.EngineProvider;
import java.nio.file.Path;

/** Opens {@code .onnx} models with ONNX Runtime. */
public final class OnnxEngineProvider implements EngineProvider {
    @Override
    public String format() {
        return "onnx";
    }

    @Override
    public boolean recognises(Path modelFile) {
        return modelFile.getFileName().toString().endsWith(".onnx");
    }

    @Override
    public Engine open(Path modelFile, EngineOptions options) throws EngineException {
        return OnnxEngine.open(modelFile, options);
    }
}
