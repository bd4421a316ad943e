package dev.capstan.serve.engine;

import dev.capstan.serve.tensor.DataType;

/** A declared model input or output: name, datatype and shape, where -1 marks a variable dimension and a null shape an unknown rank. */
public record TensorSpec(String name, DataType type, long[] shape) {
    /** The shape as metadata shows it: an unknown rank reads as {@code [-1]}. */
    public long[] metadataShape() {
        return shape == null ? new long[] {-1} : shape.clone();
    }
}
