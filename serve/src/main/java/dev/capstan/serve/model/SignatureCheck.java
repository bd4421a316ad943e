package dev.capstan.serve.model;

import dev.capstan.serve.ServeException;
import dev.capstan.serve.engine.ModelSignature;
import dev.capstan.serve.engine.TensorSpec;
import dev.capstan.serve.tensor.Shapes;
import dev.capstan.serve.tensor.Tensor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Checks a request against a model's signature and puts its inputs in the signature's order. */
public final class SignatureCheck {
    private SignatureCheck() {
    }

    public static List<Tensor> inputs(String model, ModelSignature signature, List<Tensor> inputs) {
        Map<String, Tensor> byName = new HashMap<>();
        for (Tensor input : inputs) {
            if (byName.put(input.name(), input) != null) {
                throw ServeException.badRequest("input '" + input.name() + "' appears twice");
            }
            if (signature.input(input.name()).isEmpty()) {
                throw ServeException.badRequest("model '" + model + "' has no input '" + input.name() + "'; its inputs are "
                        + signature.inputs().stream().map(TensorSpec::name).toList());
            }
        }
        List<Tensor> ordered = new ArrayList<>(signature.inputs().size());
        for (TensorSpec spec : signature.inputs()) {
            Tensor input = byName.get(spec.name());
            if (input == null) {
                throw ServeException.badRequest("input '" + spec.name() + "' is missing");
            }
            if (input.type() != spec.type()) {
                throw ServeException.badRequest("input '" + spec.name() + "' must be " + spec.type() + ", not " + input.type());
            }
            if (!Shapes.fits(spec.shape(), input.shape())) {
                throw ServeException.badRequest("input '" + spec.name() + "' has shape " + Shapes.format(input.shape())
                        + " but the model takes " + Shapes.format(spec.shape()));
            }
            ordered.add(input);
        }
        return ordered;
    }

    public static void outputs(String model, ModelSignature signature, List<String> requested) {
        for (String name : requested) {
            if (signature.output(name).isEmpty()) {
                throw ServeException.badRequest("model '" + model + "' has no output '" + name + "'; its outputs are "
                        + signature.outputs().stream().map(TensorSpec::name).toList());
            }
        }
    }
}
