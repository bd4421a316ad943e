package dev.capstan.serve.engine.capstandjl;

import dev.capstan.train.ModelDirectory;
import dev.capstan.train.TrainConfig;
import dev.capstan.train.Trainer;
import dev.capstan.train.collective.SingleProcess;
import dev.capstan.train.data.DataSource;
import dev.capstan.train.data.Dataset;
import dev.capstan.train.model.Architecture;
import dev.capstan.train.model.Network;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Trains small models on the digits with capstan-train's own loop and writes their model directories. */
final class TrainedModels {
    /** A trained network, still open, and the model directory written from it. */
    record Trained(Network network, Path dir, Dataset data) implements AutoCloseable {
        @Override
        public void close() {
            network.close();
        }
    }

    private TrainedModels() {
    }

    /** A few SGD steps of {@code model} (mlp | cnn), written to {@code parent/name}. */
    static Trained train(Path parent, String name, String model, int steps) throws IOException {
        TrainConfig config = TrainConfig.from(Map.of("model", model, "hidden", "16", "channels", "4",
                "steps", Integer.toString(steps), "batch-size", "32", "threads", "1"), parent);
        Dataset digits = DataSource.load(DataSource.DIGITS, parent, config.seed());
        Architecture architecture = model.equals("mlp")
                ? Architecture.mlp(digits.sampleShape(), digits.classes(), config.hidden(), 1f / 16)
                : Architecture.cnn(digits.sampleShape(), digits.classes(), config.channels(), config.hidden()[0], 1f / 16);
        Network network = Network.create(architecture, config.seed());
        Trainer trainer = new Trainer(config, new SingleProcess(), network, Optional.empty(),
                new PrintStream(OutputStream.nullOutputStream()), line -> { });
        Trainer.Outcome outcome = trainer.train(digits, steps);
        Path dir = parent.resolve(name);
        ModelDirectory.write(dir, network, outcome.state().parameters(), Map.of("step", steps),
                Map.of("data", "digits", "steps", steps));
        return new Trained(network, dir, digits);
    }

    /** Samples {@code from .. from + count} of the digits, row-major {@code [count, 1, 8, 8]}. */
    static float[] samples(Dataset data, int from, int count) {
        int size = data.featureCount();
        float[] out = new float[count * size];
        System.arraycopy(data.features(), from * size, out, 0, out.length);
        return out;
    }
}
