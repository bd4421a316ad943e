package dev.capstan.serve.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.capstan.serve.batch.BatchPolicy;
import dev.capstan.serve.engine.ModelSignature;
import dev.capstan.serve.engine.TensorSpec;
import dev.capstan.serve.tensor.DataType;
import dev.capstan.serve.tensor.InvalidTensorException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A model directory's {@code model.yaml}: every field optional.
 * <pre>
 * name: mnist            # default: the directory's name
 * format: onnx           # default: from the model file's extension
 * version: "1"
 * file: model.onnx       # default: the one model file in the directory
 * threads: 1             # engine threads per inference
 * batching: {maxBatchSize: 32, maxLatency: 2ms, maxQueue: 256, timeout: 30s, workers: 2}
 * signature:             # for formats that cannot tell their own (TorchScript)
 *   inputs:  [{name: input__0, datatype: FP32, shape: [-1, 784]}]
 *   outputs: [{name: output__0, datatype: FP32, shape: [-1, 10]}]
 * </pre>
 */
public record ModelConfig(String name, String format, String version, String file, int threads,
                          BatchPolicy batching, ModelSignature signature) {
    public static final String FILE_NAME = "model.yaml";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    /** Reads {@code dir/model.yaml} if present; {@code nameOverride} (nullable) wins over its name. */
    public static ModelConfig read(Path dir, String nameOverride) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(file + " must be a regular file (links are not followed)");
        }
        JsonNode root = Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) ? YAML.readTree(file.toFile()) : null;
        if (root == null || root.isMissingNode() || root.isNull()) {
            root = YAML.createObjectNode();
        }
        if (!root.isObject()) {
            throw new IOException(file + ": expected a mapping");
        }
        try {
            String dirName = dir.toAbsolutePath().normalize().getFileName().toString();
            String name = nameOverride != null ? nameOverride : root.path("name").asText(dirName);
            return new ModelConfig(name, text(root, "format"), root.path("version").asText("1"), text(root, "file"),
                    root.path("threads").asInt(1), batching(root.path("batching")), signature(root.path("signature")));
        } catch (IllegalArgumentException | InvalidTensorException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    private static String text(JsonNode root, String field) {
        return root.hasNonNull(field) ? root.get(field).asText() : null;
    }

    private static BatchPolicy batching(JsonNode node) {
        BatchPolicy defaults = BatchPolicy.unbatched();
        return new BatchPolicy(node.path("maxBatchSize").asInt(defaults.maxBatchSize()),
                duration(node.path("maxLatency"), defaults.maxLatency()), node.path("maxQueue").asInt(defaults.maxQueue()),
                duration(node.path("timeout"), defaults.timeout()), node.path("workers").asInt(defaults.workers()));
    }

    /** Reads {@code 500us}, {@code 2ms}, {@code 30s} or a bare number of milliseconds. */
    static Duration duration(JsonNode node, Duration fallback) {
        if (node.isMissingNode() || node.isNull()) {
            return fallback;
        }
        if (node.isNumber()) {
            return Duration.ofNanos((long) (node.asDouble() * 1_000_000));
        }
        String text = node.asText().trim();
        String[][] units = {{"us", "1000"}, {"ms", "1000000"}, {"s", "1000000000"}, {"m", "60000000000"}};
        for (String[] unit : units) {
            if (text.endsWith(unit[0])) {
                double value = Double.parseDouble(text.substring(0, text.length() - unit[0].length()));
                return Duration.ofNanos((long) (value * Long.parseLong(unit[1])));
            }
        }
        throw new IllegalArgumentException("cannot read duration '" + text + "' (use 500us, 2ms or 30s)");
    }

    private static ModelSignature signature(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return null;
        }
        return new ModelSignature(specs(node.path("inputs")), specs(node.path("outputs")));
    }

    private static List<TensorSpec> specs(JsonNode list) {
        List<TensorSpec> specs = new ArrayList<>();
        for (JsonNode item : list) {
            long[] shape = null;
            if (item.has("shape")) {
                shape = new long[item.get("shape").size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = item.get("shape").get(i).asLong();
                }
            }
            specs.add(new TensorSpec(item.path("name").asText(), DataType.parse(item.path("datatype").asText("FP32")), shape));
        }
        return specs;
    }
}
