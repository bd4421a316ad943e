package dev.capstan.core.serving;

import dev.capstan.api.codec.Manifests;
import dev.capstan.api.serving.Batching;
import dev.capstan.api.serving.PredictorFormat;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a backend needs to start a replica of a revision: which revision, the model source
 * resolved (a path, {@code file://}, {@code http(s)://} or {@code s3://}; never a registry
 * reference) and the registry version it came from if any, the format, batching, resources, the
 * most requests one replica takes at once (0: no limit) and the request timeout. The replica
 * serves the model under the service's name ({@code key.service()}).
 */
public record RevisionTemplate(RevisionKey key, String storageUri, Optional<String> modelVersion, PredictorFormat format,
    Optional<String> formatVersion, Batching batching, ResourceRequirements resources, int containerConcurrency,
    Duration timeout) {
  public RevisionTemplate {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(storageUri, "storageUri");
    Objects.requireNonNull(modelVersion, "modelVersion");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(formatVersion, "formatVersion");
    Objects.requireNonNull(batching, "batching");
    Objects.requireNonNull(timeout, "timeout");
    resources = resources == null ? new ResourceRequirements() : Manifests.copy(resources, ResourceRequirements.class);
  }

  /** A copy: the wire type is mutable. */
  @Override
  public ResourceRequirements resources() {
    return Manifests.copy(resources, ResourceRequirements.class);
  }
}
