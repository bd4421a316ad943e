package dev.capstan.serve.engine.torchscript;

import ai.djl.Model;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import dev.capstan.serve.engine.Engine;
import dev.capstan.serve.engine.EngineException;
import dev.capstan.serve.engine.EngineOptions;
import dev.capstan.serve.engine.ModelSignature;
import dev.capstan.serve.engine.NativeStack;
import dev.capstan.serve.engine.TensorSpec;
import dev.capstan.serve.tensor.DataType;
import dev.capstan.serve.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A TorchScript module run through DJL. TorchScript does not record input names or types, so they
 * come from model.yaml's signature; without one the model takes {@code input__0} and gives
 * {@code output__0}, of any shape (FP32 declared).
 */
public final class TorchScriptEngine implements Engine {
    private final Model model;
    private final Block block;
    private final ModelSignature signature;

    private TorchScriptEngine(Model model, ModelSignature signature) {
        this.model = model;
        this.block = model.getBlock();
        this.signature = signature;
    }

    public static TorchScriptEngine open(Path modelFile, EngineOptions options) throws EngineException {
        return NativeStack.open("PyTorch", modelFile, () -> openHere(modelFile, options));
    }

    private static TorchScriptEngine openHere(Path modelFile, EngineOptions options) throws EngineException {
        System.setProperty("ai.djl.offline", "true");
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(Math.max(1, options.threads())));
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        Model model = Model.newInstance(modelFile.getFileName().toString(), "PyTorch");
        try {
            model.load(modelFile.toAbsolutePath());
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new EngineException("PyTorch cannot load " + modelFile.getFileName() + ": " + e.getMessage(), false, e);
        }
        ModelSignature signature = options.declaredSignature() != null ? options.declaredSignature()
                : new ModelSignature(List.of(new TensorSpec("input__0", DataType.FP32, null)),
                        List.of(new TensorSpec("output__0", DataType.FP32, null)));
        return new TorchScriptEngine(model, signature);
    }

    @Override
    public String platform() {
        return "pytorch_torchscript";
    }

    @Override
    public ModelSignature signature() {
        return signature;
    }

    @Override
    public List<Tensor> infer(List<Tensor> inputs) throws EngineException {
        Map<String, Tensor> byName = new HashMap<>();
        inputs.forEach(t -> byName.put(t.name(), t));
        try (NDManager manager = model.getNDManager().newSubManager()) {
            NDList list = new NDList();
            for (TensorSpec spec : signature.inputs()) {
                Tensor tensor = byName.get(spec.name());
                list.add(toNd(manager, tensor));
            }
            NDList result = block.forward(new ParameterStore(manager, false), list, false);
            List<Tensor> outputs = new ArrayList<>(result.size());
            for (int i = 0; i < result.size(); i++) {
                String name = i < signature.outputs().size() ? signature.outputs().get(i).name() : "output__" + i;
                outputs.add(fromNd(name, result.get(i)));
            }
            return outputs;
        } catch (RuntimeException e) {
            throw new EngineException("PyTorch failed: " + e.getMessage(), false, e);
        }
    }

    private static NDArray toNd(NDManager manager, Tensor tensor) throws EngineException {
        ai.djl.ndarray.types.DataType type = DjlTypes.toDjl(tensor.type());
        if (type == null) {
            throw EngineException.badInput("the torchscript engine cannot feed " + tensor.type() + " inputs");
        }
        ByteBuffer direct = ByteBuffer.allocateDirect(tensor.data().remaining()).order(ByteOrder.nativeOrder());
        direct.put(tensor.data()).flip();
        return manager.create(direct, new Shape(tensor.shape()), type);
    }

    private static Tensor fromNd(String name, NDArray array) throws EngineException {
        DataType type = DjlTypes.fromDjl(array.getDataType());
        if (type == null) {
            throw new EngineException("output '" + name + "' has type " + array.getDataType() + ", which the protocol cannot carry", false, null);
        }
        ByteBuffer data = array.toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        return Tensor.of(name, type, array.getShape().getShape(), data);
    }

    @Override
    public void close() {
        model.close();
    }
}
