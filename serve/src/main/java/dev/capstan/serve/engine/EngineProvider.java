package dev.capstan.serve.engine;

import java.nio.file.Path;

/**
 * Opens models of one format. Built-in: {@code onnx} and {@code torchscript}; more are found with
 * {@link java.util.ServiceLoader}, so a format (such as the Java trainer's) plugs in without changes here.
 */
public interface EngineProvider {
    /** The format name used in model.yaml, e.g. {@code onnx}. */
    String format();

    /** True when a file name alone says the file is of this format (used when model.yaml names none). */
    boolean recognises(Path modelFile);

    Engine open(Path modelFile, EngineOptions options) throws EngineException;
}
