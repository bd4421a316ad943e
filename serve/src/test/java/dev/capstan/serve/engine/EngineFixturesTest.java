package dev.capstan.serve.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.serve.Fixtures;
import dev.capstan.serve.engine.onnx.OnnxEngine;
import dev.capstan.serve.engine.torchscript.TorchScriptEngine;
import dev.capstan.serve.tensor.DataType;
import dev.capstan.serve.tensor.Tensor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Both engines reproduce the outputs torch computed when it exported the fixture MLP. */
class EngineFixturesTest {
    private final JsonNode expected = Fixtures.expectedMlp();
    private final Tensor input = Tensor.ofFloats("input", new long[] {3, 4}, Fixtures.flatFloats(expected.get("input")));

    @Test
    void onnxMatchesTorch() throws Exception {
        try (Engine engine = OnnxEngine.open(Fixtures.dir("mlp").resolve("model.onnx"), EngineOptions.defaults())) {
            assertEquals("input", engine.signature().inputs().get(0).name());
            assertArrayEquals(new long[] {-1, 4}, engine.signature().inputs().get(0).shape());
            assertEquals(DataType.FP32, engine.signature().outputs().get(0).type());
            assertMatchesTorch(engine.infer(List.of(input)));
        }
    }

    @Test
    void torchScriptMatchesTorch() throws Exception {
        try (Engine engine = TorchScriptEngine.open(Fixtures.dir("mlp-torchscript").resolve("model.pt"), EngineOptions.defaults())) {
            assertMatchesTorch(engine.infer(List.of(input.withName("input__0"))));
        }
    }

    private void assertMatchesTorch(List<Tensor> outputs) {
        assertEquals(1, outputs.size());
        assertArrayEquals(new long[] {3, 3}, outputs.get(0).shape());
        assertArrayEquals(Fixtures.flatFloats(expected.get("output")), outputs.get(0).toFloats(), 1e-5f);
    }
}
