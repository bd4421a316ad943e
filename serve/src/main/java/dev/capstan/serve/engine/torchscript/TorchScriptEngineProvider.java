package dev.capstan.serve.engine.torchscript;

import dev.capstan.serve.engine.Engine;
import dev.capstan.serve.engine.EngineException;
import dev.capstan.serve.engine.EngineOptions;
import dev.capstan.serve.engine.EngineProvider;
import java.nio.file.Path;

/** Opens TorchScript archives ({@code torch.jit.save}) with DJL's PyTorch engine, offline. */
public final class TorchScriptEngineProvider implements EngineProvider {
    @Override
    public String format() {
        return "torchscript";
    }

    @Override
    public boolean recognises(Path modelFile) {
        String name = modelFile.getFileName().toString();
        return name.endsWith(".pt") || name.endsWith(".torchscript");
    }

    @Override
    public Engine open(Path modelFile, EngineOptions options) throws EngineException {
        return TorchScriptEngine.open(modelFile, options);
    }
}
