package dev.capstan.serve.engine.capstandjl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.capstan.serve.engine.Engine;
import dev.capstan.serve.engine.EngineException;
import dev.capstan.serve.engine.EngineOptions;
import dev.capstan.serve.engine.Engines;
import dev.capstan.serve.engine.TensorSpec;
import dev.capstan.serve.tensor.DataType;
import dev.capstan.serve.tensor.Tensor;
import dev.capstan.serve.engine.capstandjl.TrainedModels.Trained;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The capstan-djl engine on model directories that capstan-train's loop wrote, from plain Java calls. */
class CapstanDjlEngineTest {
    private static final long[] SAMPLE = {1, 8, 8};

    @TempDir
    Path temp;

    @ParameterizedTest
    @ValueSource(strings = {"mlp", "cnn"})
    void outputsEqualTheTrainersOwnNetwork(String model) throws Exception {
        try (Trained trained = TrainedModels.train(temp, "digits-" + model, model, 5);
                Engine engine = open(trained.dir())) {
            float[] x = TrainedModels.samples(trained.data(), 0, 7);
            List<Tensor> out = engine.infer(List.of(Tensor.ofFloats("input", shape(7), x)));
            assertEquals(1, out.size());
            assertEquals("logits", out.getFirst().name());
            assertArrayEquals(new long[] {7, 10}, out.getFirst().shape());
            assertArrayEquals(trained.network().logits(x, 7), out.getFirst().toFloats(), 1e-5f);
        }
    }

    @Test
    void signatureComesFromModelYaml() throws Exception {
        try (Trained trained = TrainedModels.train(temp, "digits", "mlp", 2); Engine engine = open(trained.dir())) {
            TensorSpec input = engine.signature().inputs().getFirst();
            TensorSpec output = engine.signature().outputs().getFirst();
            assertEquals("input", input.name());
            assertEquals(DataType.FP32, input.type());
            assertArrayEquals(new long[] {-1, 1, 8, 8}, input.shape());
            assertEquals("logits", output.name());
            assertArrayEquals(new long[] {-1, 10}, output.shape());
            assertEquals("pytorch_capstan_djl", engine.platform());
        }
    }

    @Test
    void batchedResultsEqualUnbatchedOnesAndConcurrentCallsAgree() throws Exception {
        try (Trained trained = TrainedModels.train(temp, "digits", "mlp", 5); Engine engine = open(trained.dir())) {
            int rows = 16;
            float[] x = TrainedModels.samples(trained.data(), 100, rows);
            float[] batched = engine.infer(List.of(Tensor.ofFloats("input", shape(rows), x))).getFirst().toFloats();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<float[]>> single = new ArrayList<>();
                for (int round = 0; round < 3; round++) {
                    for (int i = 0; i < rows; i++) {
                        float[] one = TrainedModels.samples(trained.data(), 100 + i, 1);
                        single.add(pool.submit(() -> engine.infer(List.of(Tensor.ofFloats("input", shape(1), one)))
                                .getFirst().toFloats()));
                    }
                }
                for (int k = 0; k < single.size(); k++) {
                    int i = k % rows;
                    float[] expected = java.util.Arrays.copyOfRange(batched, i * 10, i * 10 + 10);
                    assertArrayEquals(expected, single.get(k).get(), 1e-5f, "sample " + i);
                }
            } finally {
                pool.shutdown();
            }
            assertArrayEquals(new long[] {0, 10},
                    engine.infer(List.of(Tensor.ofFloats("input", shape(0)))).getFirst().shape());
        }
    }

    @Test
    void inputsOfTheWrongShapeAreTheClientsFault() throws Exception {
        try (Trained trained = TrainedModels.train(temp, "digits", "mlp", 1); Engine engine = open(trained.dir())) {
            EngineException e = assertThrows(EngineException.class,
                    () -> engine.infer(List.of(Tensor.ofFloats("input", new long[] {1, 64}, new float[64]))));
            assertTrue(e.isClientError());
            assertTrue(e.getMessage().contains("[-1, 1, 8, 8]"), e.getMessage());
        }
    }

    @Test
    void aSafetensorsFileWithoutTheTrainersModelYamlIsRefusedClearly() throws Exception {
        Path dir = Files.createDirectories(temp.resolve("foreign"));
        Files.write(dir.resolve("model.safetensors"), new byte[16]);
        EngineException e = assertThrows(EngineException.class, () -> open(dir));
        assertFalse(e.isClientError());
        assertTrue(e.getMessage().startsWith("capstan-djl cannot load foreign"), e.getMessage());
    }

    private static Engine open(Path dir) throws EngineException {
        return Engines.discover().byFormat("capstan-djl").orElseThrow()
                .open(dir.resolve("model.safetensors"), EngineOptions.defaults());
    }

    private static long[] shape(int batch) {
        return new long[] {batch, SAMPLE[0], SAMPLE[1], SAMPLE[2]};
    }
}
