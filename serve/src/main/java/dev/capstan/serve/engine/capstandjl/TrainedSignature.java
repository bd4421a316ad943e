package dev.capstan.serve.engine.capstandjl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.capstan.serve.engine.ModelSignature;
import dev.capstan.serve.engine.TensorSpec;
import dev.capstan.serve.tensor.DataType;
import dev.capstan.train.model.Architecture;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The signature a capstan-djl model.yaml declares ({@code inputs}, {@code outputs}), checked
 * against the architecture it describes: one FP32 input {@code [-1, ...sample shape]} and one FP32
 * output {@code [-1, classes]}.
 */
final class TrainedSignature {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private TrainedSignature() {
    }

    static ModelSignature read(Path descriptor, Architecture architecture) throws IOException {
        JsonNode root = YAML.readTree(descriptor.toFile());
        TensorSpec input = single(root, "inputs", descriptor);
        TensorSpec output = single(root, "outputs", descriptor);
        long[] sample = Arrays.stream(architecture.inputShape()).asLongStream().toArray();
        expect(input, sample, descriptor);
        expect(output, new long[] {architecture.classes()}, descriptor);
        return new ModelSignature(List.of(input), List.of(output));
    }

    private static TensorSpec single(JsonNode root, String field, Path descriptor) throws IOException {
        JsonNode list = root.path(field);
        if (!list.isArray() || list.size() != 1) {
            throw new IOException(descriptor + ": '" + field + "' must list exactly one tensor");
        }
        JsonNode item = list.get(0);
        JsonNode shape = item.path("shape");
        long[] dims = new long[shape.size()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = shape.get(i).asLong();
        }
        try {
            return new TensorSpec(item.path("name").asText(), DataType.parse(item.path("datatype").asText("FP32")), dims);
        } catch (RuntimeException e) {
            throw new IOException(descriptor + ": " + field + ": " + e.getMessage(), e);
        }
    }

    /** The spec must be FP32 of shape {@code [-1, ...perSample]}. */
    private static void expect(TensorSpec spec, long[] perSample, Path descriptor) throws IOException {
        long[] wanted = new long[perSample.length + 1];
        wanted[0] = -1;
        System.arraycopy(perSample, 0, wanted, 1, perSample.length);
        if (spec.name().isEmpty() || spec.type() != DataType.FP32 || !Arrays.equals(spec.shape(), wanted)) {
            throw new IOException(descriptor + ": tensor '" + spec.name() + "' is " + spec.type() + " "
                    + Arrays.toString(spec.shape()) + "; the architecture needs a named FP32 " + Arrays.toString(wanted));
        }
    }
}
