package dev.capstan.serve;

import dev.capstan.serve.engine.Engine;
import dev.capstan.serve.engine.EngineOptions;
import dev.capstan.serve.engine.EngineProvider;
import dev.capstan.serve.engine.ModelSignature;
import dev.capstan.serve.tensor.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Format {@code testing-echo}: returns each input {@code in_X} as output {@code out_X}, after
 * sleeping the milliseconds written in the model file. Signature from model.yaml; any datatype.
 */
public final class TestingEchoEngineProvider implements EngineProvider {
    @Override
    public String format() {
        return "testing-echo";
    }

    @Override
    public boolean recognises(Path modelFile) {
        return modelFile.getFileName().toString().endsWith(".echo");
    }

    @Override
    public Engine open(Path modelFile, EngineOptions options) {
        try {
            long sleepMillis = Long.parseLong(Files.readString(modelFile).trim());
            return new TestingEchoEngine(options.declaredSignature(), sleepMillis);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private record TestingEchoEngine(ModelSignature signature, long sleepMillis) implements Engine {
        @Override
        public String platform() {
            return "testing_echo";
        }

        @Override
        public List<Tensor> infer(List<Tensor> inputs) {
            if (sleepMillis > 0) {
                try {
                    Thread.sleep(sleepMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return inputs.stream().map(t -> t.withName(t.name().replaceFirst("^in_", "out_"))).toList();
        }

        @Override
        public void close() {
        }
    }
}
