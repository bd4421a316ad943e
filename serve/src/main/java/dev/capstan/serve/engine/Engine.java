package dev.capstan.serve.engine;

import dev.capstan.serve.tensor.Tensor;
import java.util.List;

/**
 * A loaded model that computes outputs from inputs. Usable from a plain Java call: no server,
 * no queue. Implementations must allow {@link #infer} from several threads at once.
 */
public interface Engine extends AutoCloseable {
    /** The protocol's platform name, e.g. {@code onnxruntime_onnx}. */
    String platform();

    ModelSignature signature();

    /** Runs the model on named inputs (already checked against the signature) and returns every output. */
    List<Tensor> infer(List<Tensor> inputs) throws EngineException;

    @Override
    void close();
}
