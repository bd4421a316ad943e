package dev.capstan.serve;

import dev.capstan.serve.tensor.DataType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes model directories for tests. */
public final class TestingModels {
    private TestingModels() {
    }

    /** An echo model with one input {@code in_T}/output {@code out_T} of shape [-1, 2] per datatype. */
    public static Path echoAllTypes(Path parent, String name, long sleepMillis, String batching) throws IOException {
        Path dir = Files.createDirectories(parent.resolve(name));
        Files.writeString(dir.resolve("model.echo"), Long.toString(sleepMillis));
        StringBuilder yaml = new StringBuilder("name: " + name + "\nformat: testing-echo\nversion: \"3\"\n");
        if (batching != null) {
            yaml.append("batching: ").append(batching).append('\n');
        }
        yaml.append("signature:\n  inputs:\n");
        for (DataType type : DataType.values()) {
            yaml.append("    - {name: in_").append(type).append(", datatype: ").append(type).append(", shape: [-1, 2]}\n");
        }
        yaml.append("  outputs:\n");
        for (DataType type : DataType.values()) {
            yaml.append("    - {name: out_").append(type).append(", datatype: ").append(type).append(", shape: [-1, 2]}\n");
        }
        Files.writeString(dir.resolve("model.yaml"), yaml.toString());
        return dir;
    }

    /** An echo model with a single FP32 input {@code in_x} of shape [-1, 2]. */
    public static Path echo(Path parent, String name, long sleepMillis, String batching) throws IOException {
        Path dir = Files.createDirectories(parent.resolve(name));
        Files.writeString(dir.resolve("model.echo"), Long.toString(sleepMillis));
        Files.writeString(dir.resolve("model.yaml"), "name: " + name + "\nformat: testing-echo\n"
                + (batching != null ? "batching: " + batching + "\n" : "")
                + "signature:\n  inputs: [{name: in_x, datatype: FP32, shape: [-1, 2]}]\n"
                + "  outputs: [{name: out_x, datatype: FP32, shape: [-1, 2]}]\n");
        return dir;
    }
}
