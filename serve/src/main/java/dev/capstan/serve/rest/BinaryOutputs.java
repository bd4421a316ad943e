package dev.capstan.serve.rest;

import java.util.Map;

/**
 * Which outputs a REST infer request wants as raw bytes after the JSON (binary tensor extension):
 * an output's own {@code parameters.binary_data} decides for it; otherwise the request's
 * {@code parameters.binary_data_output}.
 */
record BinaryOutputs(boolean byDefault, Map<String, Boolean> byName) {
    static final BinaryOutputs NONE = new BinaryOutputs(false, Map.of());

    boolean binary(String output) {
        return byName.getOrDefault(output, byDefault);
    }
}
