package dev.capstan.serve.engine;

import dev.capstan.serve.engine.onnx.OnnxEngineProvider;
import dev.capstan.serve.engine.torchscript.TorchScriptEngineProvider;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/** The engine providers this server knows: the built-in ones, then any found by ServiceLoader. */
public final class Engines {
    private final List<EngineProvider> providers;

    private Engines(List<EngineProvider> providers) {
        this.providers = List.copyOf(providers);
    }

    public static Engines discover() {
        List<EngineProvider> all = new ArrayList<>(List.of(new OnnxEngineProvider(), new TorchScriptEngineProvider()));
        ServiceLoader.load(EngineProvider.class).forEach(all::add);
        return new Engines(all);
    }

    public Optional<EngineProvider> byFormat(String format) {
        return providers.stream().filter(p -> p.format().equalsIgnoreCase(format)).findFirst();
    }

    public Optional<EngineProvider> byFile(Path file) {
        return providers.stream().filter(p -> p.recognises(file)).findFirst();
    }

    public List<String> formats() {
        return providers.stream().map(EngineProvider::format).toList();
    }
}
