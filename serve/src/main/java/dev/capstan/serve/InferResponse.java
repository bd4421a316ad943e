package dev.capstan.serve;

import dev.capstan.serve.tensor.Tensor;
import java.util.List;

/** The answer to an {@link InferRequest}. */
public record InferResponse(String modelName, String modelVersion, String id, List<Tensor> outputs) {
}
