package dev.capstan.serve.engine.capstandjl;

import dev.capstan.serve.engine.Engine;
import dev.capstan.serve.engine.EngineException;
import dev.capstan.serve.engine.EngineOptions;
import dev.capstan.serve.engine.ModelSignature;
import dev.capstan.serve.engine.NativeStack;
import dev.capstan.serve.engine.TensorSpec;
import dev.capstan.serve.tensor.Tensor;
import dev.capstan.train.ModelDirectory;
import dev.capstan.train.model.Architecture;
import dev.capstan.train.model.Network;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * A model directory written by capstan-train, run through the trainer's own {@link Network} (DJL
 * on the PyTorch engine, offline). The signature comes from model.yaml; the first dimension is the
 * batch, so a request may carry any number of samples.
 *
 * <p>A {@code Network} keeps one parameter store and is not meant to be called from several
 * threads at once, so each concurrent {@link #infer} borrows a replica of its own from a pool:
 * replicas are built from the loaded parameters when no idle one is left, so there are at most as
 * many as there were calls at once (the batcher's workers), each holding one copy of the
 * parameters.
 */
public final class CapstanDjlEngine implements Engine {
    public static final String FORMAT = ModelDirectory.FORMAT;

    private final Architecture architecture;
    private final float[] parameters;
    private final ModelSignature signature;
    private final ConcurrentLinkedDeque<Network> idle = new ConcurrentLinkedDeque<>();
    private final List<Network> replicas = new ArrayList<>();
    private boolean closed;

    private CapstanDjlEngine(Network loaded, ModelSignature signature) {
        this.architecture = loaded.architecture();
        this.parameters = loaded.parameters();
        this.signature = signature;
        forInference(loaded);
        replicas.add(loaded);
        idle.push(loaded);
    }

    /** Opens the directory holding {@code parametersFile} (model.safetensors beside its model.yaml). */
    public static CapstanDjlEngine open(Path parametersFile, EngineOptions options) throws EngineException {
        return NativeStack.open("PyTorch", parametersFile, () -> openHere(parametersFile, options));
    }

    private static CapstanDjlEngine openHere(Path parametersFile, EngineOptions options) throws EngineException {
        if (!parametersFile.getFileName().toString().equals(ModelDirectory.PARAMETERS)) {
            throw new EngineException(FORMAT + " reads " + ModelDirectory.PARAMETERS + " beside "
                    + ModelDirectory.DESCRIPTOR + ", not " + parametersFile.getFileName(), false, null);
        }
        System.setProperty("ai.djl.offline", "true");
        if (System.getProperty("ai.djl.pytorch.num_threads") == null) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(Math.max(1, options.threads())));
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        Path dir = parametersFile.toAbsolutePath().getParent();
        Network network;
        try {
            network = ModelDirectory.load(dir);
        } catch (IOException | RuntimeException e) {
            throw new EngineException(FORMAT + " cannot load " + dir.getFileName() + ": " + e.getMessage(), false, e);
        }
        try {
            return new CapstanDjlEngine(network, TrainedSignature.read(dir.resolve(ModelDirectory.DESCRIPTOR),
                    network.architecture()));
        } catch (IOException | RuntimeException e) {
            network.close();
            throw new EngineException(FORMAT + " cannot load " + dir.getFileName() + ": " + e.getMessage(), false, e);
        }
    }

    @Override
    public String platform() {
        return "pytorch_capstan_djl";
    }

    @Override
    public ModelSignature signature() {
        return signature;
    }

    @Override
    public List<Tensor> infer(List<Tensor> inputs) throws EngineException {
        TensorSpec in = signature.inputs().getFirst();
        Tensor input = inputs.stream().filter(t -> t.name().equals(in.name())).findFirst()
                .orElseThrow(() -> EngineException.badInput("input '" + in.name() + "' is missing"));
        int batch = batchOf(input);
        float[] logits = batch == 0 ? new float[0] : run(input, batch);
        String out = signature.outputs().getFirst().name();
        return List.of(Tensor.ofFloats(out, new long[] {batch, architecture.classes()}, logits));
    }

    private int batchOf(Tensor input) throws EngineException {
        long[] shape = input.shape();
        long[] sample = Arrays.stream(architecture.inputShape()).asLongStream().toArray();
        if (input.type() != signature.inputs().getFirst().type() || shape.length != sample.length + 1
                || !Arrays.equals(Arrays.copyOfRange(shape, 1, shape.length), sample)) {
            throw EngineException.badInput("input '" + input.name() + "' is " + input.type() + " "
                    + Arrays.toString(shape) + "; the model takes FP32 [-1, " + Arrays.toString(sample).substring(1));
        }
        return Math.toIntExact(shape[0]);
    }

    private float[] run(Tensor input, int batch) throws EngineException {
        float[] features = new float[batch * architecture.inputSize()];
        input.data().asFloatBuffer().get(features);
        Network network = borrow();
        try {
            return network.logits(features, batch);
        } catch (RuntimeException e) {
            throw new EngineException("PyTorch failed: " + e.getMessage(), false, e);
        } finally {
            idle.push(network);
        }
    }

    private Network borrow() throws EngineException {
        Network network = idle.poll();
        if (network != null) {
            return network;
        }
        synchronized (replicas) {
            if (closed) {
                throw new EngineException("the model is closed", false, null);
            }
            Network replica = Network.create(architecture, 0);
            replica.setParameters(parameters);
            forInference(replica);
            replicas.add(replica);
            return replica;
        }
    }

    /** Inference needs no autograd graph: the parameters stop asking for gradients. */
    private static void forInference(Network network) {
        network.tensors().forEach(t -> t.parameter().getArray().setRequiresGradient(false));
    }

    @Override
    public void close() {
        synchronized (replicas) {
            closed = true;
            idle.clear();
            replicas.forEach(Network::close);
            replicas.clear();
        }
    }
}
