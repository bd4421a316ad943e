package dev.capstan.serve;

import dev.capstan.serve.tensor.Tensor;
import java.util.List;
import java.util.Map;

/**
 * One inference request as both protocols carry it: an id (null for none: the answer gets one made
 * up; any other, the empty one included, is echoed), parameters, the inputs and the names of the
 * outputs wanted (empty for all). {@code rawOutputs} asks for raw (gRPC) output bytes.
 */
public record InferRequest(String id, Map<String, Object> parameters, List<Tensor> inputs, List<String> outputs, boolean rawOutputs) {
}
