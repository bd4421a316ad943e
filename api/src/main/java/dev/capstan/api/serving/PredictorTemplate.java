package dev.capstan.api.serving;

import dev.capstan.api.codec.Manifests;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What one revision's replicas run: the model (format, source, runtime), batching, resources, how
 * many requests a replica takes at once (0: no limit) and the request timeout. Two predictors with
 * equal templates are the same revision; any difference makes a new one.
 */
public record PredictorTemplate(PredictorFormat format, Optional<String> formatVersion, StorageUri storageUri,
    String runtime, Batching batching, ResourceRequirements resources, int containerConcurrency, Duration timeout) {
  /** The only runtime: Capstan's own model server. */
  public static final String RUNTIME = "capstan";
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  public PredictorTemplate {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(formatVersion, "formatVersion");
    Objects.requireNonNull(storageUri, "storageUri");
    Objects.requireNonNull(runtime, "runtime");
    Objects.requireNonNull(batching, "batching");
    Objects.requireNonNull(timeout, "timeout");
    resources = resources == null ? new ResourceRequirements() : Manifests.copy(resources, ResourceRequirements.class);
  }

  /** A copy: the wire type is mutable. */
  @Override
  public ResourceRequirements resources() {
    return Manifests.copy(resources, ResourceRequirements.class);
  }

  /** The template as recorded in {@code status.revisions[].predictor}; {@link #from} reads it back equal. */
  public RevisionSpec toSpec() {
    ModelFormatSpec formatSpec = new ModelFormatSpec();
    formatSpec.setName(format.wire());
    formatSpec.setVersion(formatVersion.orElse(null));
    PredictorModelSpec model = new PredictorModelSpec();
    model.setModelFormat(formatSpec);
    model.setStorageUri(storageUri.text());
    model.setRuntime(runtime);
    RevisionSpec spec = new RevisionSpec();
    spec.setModel(model);
    spec.setBatching(batching.toSpec());
    spec.setResources(resources());
    spec.setContainerConcurrency(containerConcurrency);
    spec.setTimeout(Math.toIntExact(timeout.toSeconds()));
    return spec;
  }

  /** Reads a recorded template back, checked as a predictor is; throws InvalidSpecException with paths under {@code path}. */
  public static PredictorTemplate from(RevisionSpec spec, String path) {
    return InferenceServiceValidator.recordedTemplate(spec, path);
  }
}
