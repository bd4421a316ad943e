package dev.capstan.serve;

import dev.capstan.serve.model.LoadedModel;
import dev.capstan.serve.model.ModelRepository;
import dev.capstan.serve.model.SignatureCheck;
import dev.capstan.serve.tensor.Tensor;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** Takes a decoded request from either protocol, checks it against the model and queues it on the model's batcher. */
public final class InferenceDispatcher {
    private final ModelRepository models;
    private final String idPrefix = Long.toString(UUID.randomUUID().getMostSignificantBits() & Long.MAX_VALUE, 36) + "-";
    private final java.util.concurrent.atomic.AtomicLong ids = new java.util.concurrent.atomic.AtomicLong();

    public InferenceDispatcher(ModelRepository models) {
        this.models = models;
    }

    /** Throws {@link ServeException} for requests refused at once; the future fails for those refused later. */
    public CompletableFuture<InferResponse> infer(String modelName, String version, InferRequest request) {
        return infer(modelName, version, request, true);
    }

    /** As above; {@code mayRunInline} false keeps the engine call off the caller's thread (see {@code Batcher}). */
    public CompletableFuture<InferResponse> infer(String modelName, String version, InferRequest request, boolean mayRunInline) {
        LoadedModel model = models.ready(modelName, version);
        List<Tensor> inputs = SignatureCheck.inputs(modelName, model.signature(), request.inputs());
        SignatureCheck.outputs(modelName, model.signature(), request.outputs());
        String id = request.id() == null ? nextId() : request.id();
        return model.batcher().submit(inputs, Set.copyOf(request.outputs()), mayRunInline)
                .thenApply(outputs -> new InferResponse(model.name(), model.version(), id, outputs));
    }

    /** The model label for metrics: the name when it is served, else {@code _unknown}, so clients cannot grow label sets. */
    public String metricsLabel(String modelName) {
        return models.all().stream().anyMatch(m -> m.name().equals(modelName)) ? modelName : "_unknown";
    }

    /** An id for a request that brought none: unique within this server's life, cheap to make. */
    private String nextId() {
        return idPrefix + Long.toString(ids.incrementAndGet(), 36);
    }

    public ModelRepository models() {
        return models;
    }
}
