package dev.capstan.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.capstan.train.model.Architecture;
import dev.capstan.train.model.Network;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelDirectoryTest {
  @TempDir
  Path dir;

  @Test
  void aWrittenCnnLoadsBackAndPredictsTheSame() throws Exception {
    Architecture cnn = Architecture.cnn(new int[] {1, 8, 8}, 10, new int[] {4, 8}, 16, 1f / 16);
    float[] input = new float[2 * 64];
    for (int i = 0; i < input.length; i++) {
      input[i] = i % 17;
    }
    Path model = dir.resolve("model");
    float[] expected;
    try (Network network = Network.create(cnn, 9)) {
      ModelDirectory.write(model, network, network.parameters(), Map.of("eval_accuracy", 0.5), Map.of());
      expected = network.logits(input, 2);
    }
    try (Network loaded = ModelDirectory.load(model)) {
      assertArrayEquals(expected, loaded.logits(input, 2));
    }
  }

  @Test
  void parametersAreStandardSafetensors() throws Exception {
    Architecture mlp = Architecture.mlp(new int[] {3}, 2, new int[] {4}, 1f);
    try (Network network = Network.create(mlp, 1)) {
      ModelDirectory.write(dir.resolve("m"), network, network.parameters(), Map.of(), Map.of());
      byte[] bytes = Files.readAllBytes(dir.resolve("m/model.safetensors"));
      ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
      int headerLength = (int) buffer.getLong();
      Map<?, ?> header = new ObjectMapper().readValue(new String(bytes, 8, headerLength, StandardCharsets.UTF_8), Map.class);
      Map<?, ?> weight = (Map<?, ?>) header.get("layers.1.weight");
      assertEquals("F32", weight.get("dtype"));
      assertEquals(List.of(4, 3), weight.get("shape"));
      assertEquals(List.of(0, 48), weight.get("data_offsets"));
      assertEquals(((List<?>) ((Map<?, ?>) header.get("layers.3.bias")).get("data_offsets")).get(1),
          bytes.length - 8 - headerLength);
    }
  }
}
