package dev.capstan.serve.grpc;

import dev.capstan.serve.InferRequest;
import dev.capstan.serve.InferResponse;
import dev.capstan.serve.InferenceDispatcher;
import dev.capstan.serve.RepositoryExtension;
import dev.capstan.serve.ServeException;
import dev.capstan.serve.ServerConfig;
import dev.capstan.serve.ServerState;
import dev.capstan.serve.engine.TensorSpec;
import dev.capstan.serve.grpc.proto.GRPCInferenceServiceGrpc;
import dev.capstan.serve.grpc.proto.InferParameter;
import dev.capstan.serve.grpc.proto.ModelInferRequest;
import dev.capstan.serve.grpc.proto.ModelInferResponse;
import dev.capstan.serve.grpc.proto.ModelMetadataRequest;
import dev.capstan.serve.grpc.proto.ModelMetadataResponse;
import dev.capstan.serve.grpc.proto.ModelReadyRequest;
import dev.capstan.serve.grpc.proto.ModelReadyResponse;
import dev.capstan.serve.grpc.proto.RepositoryModelLoadRequest;
import dev.capstan.serve.grpc.proto.RepositoryModelLoadResponse;
import dev.capstan.serve.grpc.proto.RepositoryModelUnloadRequest;
import dev.capstan.serve.grpc.proto.RepositoryModelUnloadResponse;
import dev.capstan.serve.grpc.proto.ServerLiveRequest;
import dev.capstan.serve.grpc.proto.ServerLiveResponse;
import dev.capstan.serve.grpc.proto.ServerMetadataRequest;
import dev.capstan.serve.grpc.proto.ServerMetadataResponse;
import dev.capstan.serve.grpc.proto.ServerReadyRequest;
import dev.capstan.serve.grpc.proto.ServerReadyResponse;
import dev.capstan.serve.metrics.ServeMetrics;
import dev.capstan.serve.model.LoadedModel;
import dev.capstan.serve.tensor.DataType;
import dev.capstan.serve.tensor.InvalidTensorException;
import dev.capstan.serve.tensor.Tensor;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code inference.GRPCInferenceService}: the protocol's gRPC form over the same dispatcher as REST. */
public final class GrpcInferenceService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {
    private final InferenceDispatcher dispatcher;
    private final ServerState state;
    private final ServeMetrics metrics;
    private final RepositoryExtension repository;

    public GrpcInferenceService(InferenceDispatcher dispatcher, ServerState state, ServeMetrics metrics, RepositoryExtension repository) {
        this.dispatcher = dispatcher;
        this.state = state;
        this.metrics = metrics;
        this.repository = repository;
    }

    @Override
    public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> out) {
        reply(out, ServerLiveResponse.newBuilder().setLive(state.live()).build());
    }

    @Override
    public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> out) {
        reply(out, ServerReadyResponse.newBuilder().setReady(state.ready()).build());
    }

    @Override
    public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> out) {
        try {
            LoadedModel model = dispatcher.models().find(request.getName(), request.getVersion());
            reply(out, ModelReadyResponse.newBuilder().setReady(state.ready(model)).build());
        } catch (ServeException e) {
            out.onError(status(e));
        }
    }

    @Override
    public void serverMetadata(ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> out) {
        reply(out, ServerMetadataResponse.newBuilder().setName(ServerConfig.NAME).setVersion(ServerConfig.VERSION)
                .addAllExtensions(repository.enabled() ? List.of("model_repository") : List.of()).build());
    }

    @Override
    public void modelMetadata(ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> out) {
        try {
            LoadedModel model = dispatcher.models().find(request.getName(), request.getVersion());
            ModelMetadataResponse.Builder response = ModelMetadataResponse.newBuilder()
                    .setName(model.name()).addVersions(model.version()).setPlatform(model.platform());
            model.signature().inputs().forEach(s -> response.addInputs(metadata(s)));
            model.signature().outputs().forEach(s -> response.addOutputs(metadata(s)));
            reply(out, response.build());
        } catch (ServeException e) {
            out.onError(status(e));
        }
    }

    @Override
    public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> out) {
        long start = System.nanoTime();
        String model = request.getModelName();
        metrics.started();
        try {
            dispatcher.models().find(model, request.getModelVersion());
            InferRequest inferRequest = decode(request);
            dispatcher.infer(model, request.getModelVersion(), inferRequest, false).whenComplete((response, error) -> {
                if (error == null) {
                    out.onNext(encode(response, inferRequest.rawOutputs()));
                    out.onCompleted();
                    done(model, 200, start);
                } else {
                    ServeException e = ServeException.of(error);
                    out.onError(status(e));
                    done(model, e.status().httpCode(), start);
                }
            });
        } catch (RuntimeException error) {
            ServeException e = ServeException.of(error instanceof InvalidTensorException ? ServeException.badRequest(error.getMessage()) : error);
            out.onError(status(e));
            done(model, e.status().httpCode(), start);
        }
    }

    /** Loads a model from the repository directory, as REST's {@code /v2/repository/models/{m}/load} without parameters. */
    @Override
    public void repositoryModelLoad(RepositoryModelLoadRequest request, StreamObserver<RepositoryModelLoadResponse> out) {
        String name = request.getModelName();
        try {
            repository.authorize(CallAuthorization.current());
            repository.load(name, Map.of()).whenComplete((ok, error) -> {
                if (error == null) {
                    reply(out, RepositoryModelLoadResponse.newBuilder().setModelName(name).setIsLoaded(true).build());
                } else {
                    out.onError(status(ServeException.of(error)));
                }
            });
        } catch (ServeException e) {
            out.onError(status(e));
        }
    }

    @Override
    public void repositoryModelUnload(RepositoryModelUnloadRequest request, StreamObserver<RepositoryModelUnloadResponse> out) {
        String name = request.getModelName();
        try {
            repository.authorize(CallAuthorization.current());
            repository.unload(name);
            reply(out, RepositoryModelUnloadResponse.newBuilder().setModelName(name).setIsUnloaded(true).build());
        } catch (ServeException e) {
            out.onError(status(e));
        }
    }

    private void done(String model, int code, long start) {
        metrics.finished();
        metrics.request(dispatcher.metricsLabel(model), "grpc", code, System.nanoTime() - start);
    }

    private static InferRequest decode(ModelInferRequest request) {
        int raw = request.getRawInputContentsCount();
        if (raw > 0 && raw != request.getInputsCount()) {
            throw ServeException.badRequest("raw_input_contents has " + raw + " entries for " + request.getInputsCount() + " inputs");
        }
        List<Tensor> inputs = new ArrayList<>(request.getInputsCount());
        for (int i = 0; i < request.getInputsCount(); i++) {
            var input = request.getInputs(i);
            if (raw > 0 && input.hasContents()) {
                throw ServeException.badRequest("input '" + input.getName() + "' has both contents and raw_input_contents");
            }
            inputs.add(raw > 0 ? GrpcTensors.fromRaw(input, request.getRawInputContents(i)) : GrpcTensors.fromContents(input));
        }
        if (inputs.isEmpty()) {
            throw ServeException.badRequest("'inputs' is empty");
        }
        List<String> outputs = request.getOutputsList().stream().map(ModelInferRequest.InferRequestedOutputTensor::getName).toList();
        Map<String, Object> parameters = new HashMap<>();
        request.getParametersMap().forEach((k, v) -> parameters.put(k, parameter(v)));
        // proto3 cannot tell an empty id from none: either gets one made up
        return new InferRequest(request.getId().isEmpty() ? null : request.getId(), parameters, inputs, outputs, raw > 0);
    }

    private static Object parameter(InferParameter p) {
        return switch (p.getParameterChoiceCase()) {
            case BOOL_PARAM -> p.getBoolParam();
            case INT64_PARAM -> p.getInt64Param();
            case STRING_PARAM -> p.getStringParam();
            case PARAMETERCHOICE_NOT_SET -> null;
        };
    }

    private static ModelInferResponse encode(InferResponse response, boolean rawRequested) {
        boolean raw = rawRequested || response.outputs().stream().anyMatch(t -> t.type() == DataType.FP16 || t.type() == DataType.BF16);
        ModelInferResponse.Builder builder = ModelInferResponse.newBuilder()
                .setModelName(response.modelName()).setModelVersion(response.modelVersion()).setId(response.id());
        for (Tensor output : response.outputs()) {
            ModelInferResponse.InferOutputTensor.Builder tensor = ModelInferResponse.InferOutputTensor.newBuilder()
                    .setName(output.name()).setDatatype(output.type().name());
            for (long dim : output.shape()) {
                tensor.addShape(dim);
            }
            if (raw) {
                builder.addRawOutputContents(GrpcTensors.raw(output));
            } else {
                tensor.setContents(GrpcTensors.contents(output));
            }
            builder.addOutputs(tensor);
        }
        return builder.build();
    }

    private static ModelMetadataResponse.TensorMetadata metadata(TensorSpec spec) {
        ModelMetadataResponse.TensorMetadata.Builder builder = ModelMetadataResponse.TensorMetadata.newBuilder()
                .setName(spec.name()).setDatatype(spec.type().name());
        for (long dim : spec.metadataShape()) {
            builder.addShape(dim);
        }
        return builder.build();
    }

    private static io.grpc.StatusRuntimeException status(ServeException e) {
        return Status.fromCode(e.status().grpcCode()).withDescription(e.getMessage()).asRuntimeException();
    }

    private static <T> void reply(StreamObserver<T> out, T message) {
        out.onNext(message);
        out.onCompleted();
    }
}
