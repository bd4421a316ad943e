package dev.capstan.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.stream.StreamSupport;

/** The committed test models (made by src/test/resources/fixtures/make_fixtures.py) and their expected values. */
public final class Fixtures {
    public static final Path ROOT = Path.of("src/test/resources/fixtures").toAbsolutePath();

    private Fixtures() {
    }

    public static Path dir(String name) {
        return ROOT.resolve(name);
    }

    public static JsonNode expectedMlp() {
        try {
            return new ObjectMapper().readTree(ROOT.resolve("mlp.expected.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static float[] flatFloats(JsonNode nested) {
        return toFloats(StreamSupport.stream(nested.spliterator(), false)
                .flatMap(row -> StreamSupport.stream(row.spliterator(), false))
                .mapToDouble(JsonNode::asDouble).toArray());
    }

    private static float[] toFloats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }
}
