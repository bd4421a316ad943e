package dev.capstan.serve.engine.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.capstan.serve.engine.Engine;
import dev.capstan.serve.engine.EngineException;
import dev.capstan.serve.engine.EngineOptions;
import dev.capstan.serve.engine.ModelSignature;
import dev.capstan.serve.engine.NativeStack;
import dev.capstan.serve.engine.TensorSpec;
import dev.capstan.serve.tensor.DataType;
import dev.capstan.serve.tensor.Tensor;
import java.lang.reflect.Array;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** An ONNX model in an ONNX Runtime session; sessions run concurrent calls safely. */
public final class OnnxEngine implements Engine {
    private static volatile OrtEnvironment env;

    private final OrtSession session;
    private final ModelSignature signature;

    private OnnxEngine(OrtSession session, ModelSignature signature) {
        this.session = session;
        this.signature = signature;
    }

    public static OnnxEngine open(Path modelFile, EngineOptions options) throws EngineException {
        return NativeStack.open("ONNX Runtime", modelFile, () -> openHere(modelFile, options));
    }

    private static OrtEnvironment environment() {
        OrtEnvironment current = env;
        if (current == null) {
            synchronized (OnnxEngine.class) {
                if (env == null) {
                    env = OrtEnvironment.getEnvironment();
                }
                current = env;
            }
        }
        return current;
    }

    private static OnnxEngine openHere(Path modelFile, EngineOptions options) throws EngineException {
        OrtEnvironment ortEnv = environment();
        try (OrtSession.SessionOptions sessionOptions = new OrtSession.SessionOptions()) {
            sessionOptions.setIntraOpNumThreads(Math.max(1, options.threads()));
            sessionOptions.setInterOpNumThreads(1);
            sessionOptions.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            // Spinning intra-op threads burn a core between requests; a server shares its cores.
            sessionOptions.addConfigEntry("session.intra_op.allow_spinning", "0");
            OrtSession session = ortEnv.createSession(modelFile.toString(), sessionOptions);
            ModelSignature signature = new ModelSignature(
                    specs(session.getInputInfo()), specs(session.getOutputInfo()));
            return new OnnxEngine(session, signature);
        } catch (OrtException e) {
            throw new EngineException("ONNX Runtime cannot load " + modelFile.getFileName() + ": " + e.getMessage(), false, e);
        }
    }

    private static List<TensorSpec> specs(Map<String, NodeInfo> nodes) throws EngineException {
        List<TensorSpec> specs = new ArrayList<>();
        for (NodeInfo node : nodes.values()) {
            if (!(node.getInfo() instanceof TensorInfo info)) {
                throw new EngineException("'" + node.getName() + "' is not a tensor; only tensor inputs and outputs are served", false, null);
            }
            DataType type = OnnxTypes.fromOnnx(info.onnxType);
            if (type == null) {
                throw new EngineException("'" + node.getName() + "' has element type " + info.onnxType + ", which the protocol cannot carry", false, null);
            }
            specs.add(new TensorSpec(node.getName(), type, info.getShape()));
        }
        return specs;
    }

    @Override
    public String platform() {
        return "onnxruntime_onnx";
    }

    @Override
    public ModelSignature signature() {
        return signature;
    }

    @Override
    public List<Tensor> infer(List<Tensor> inputs) throws EngineException {
        Map<String, OnnxTensor> feeds = new HashMap<>();
        try {
            for (Tensor input : inputs) {
                feeds.put(input.name(), toOnnx(input));
            }
            try (OrtSession.Result result = session.run(feeds)) {
                List<Tensor> outputs = new ArrayList<>(result.size());
                for (Map.Entry<String, OnnxValue> entry : result) {
                    outputs.add(fromOnnx(entry.getKey(), (OnnxTensor) entry.getValue()));
                }
                return outputs;
            }
        } catch (OrtException e) {
            throw new EngineException("ONNX Runtime failed: " + e.getMessage(), false, e);
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
    }

    private static OnnxTensor toOnnx(Tensor tensor) throws OrtException, EngineException {
        var javaType = OnnxTypes.toJava(tensor.type());
        if (javaType == null) {
            throw EngineException.badInput("the onnx engine cannot feed " + tensor.type() + " inputs");
        }
        if (tensor.type() == DataType.BYTES) {
            String[] values = new String[tensor.strings().length];
            for (int i = 0; i < values.length; i++) {
                values[i] = new String(tensor.strings()[i], StandardCharsets.UTF_8);
            }
            return OnnxTensor.createTensor(env, values, tensor.shape());
        }
        ByteBuffer direct = ByteBuffer.allocateDirect(tensor.data().remaining()).order(ByteOrder.nativeOrder());
        direct.put(tensor.data()).flip();
        return OnnxTensor.createTensor(env, direct, tensor.shape(), javaType);
    }

    private static Tensor fromOnnx(String name, OnnxTensor value) throws OrtException {
        TensorInfo info = value.getInfo();
        DataType type = OnnxTypes.fromOnnx(info.onnxType);
        long[] shape = info.getShape();
        if (type == DataType.BYTES) {
            List<byte[]> flat = new ArrayList<>();
            flatten(value.getValue(), flat);
            return Tensor.ofBytes(name, shape, flat.toArray(byte[][]::new));
        }
        ByteBuffer data = value.getByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        return Tensor.of(name, type, shape, data);
    }

    private static void flatten(Object value, List<byte[]> out) {
        if (value instanceof String s) {
            out.add(s.getBytes(StandardCharsets.UTF_8));
        } else {
            for (int i = 0; i < Array.getLength(value); i++) {
                flatten(Array.get(value, i), out);
            }
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing ONNX Runtime session", e);
        }
    }
}
