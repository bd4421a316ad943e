package dev.capstan.core.serving;

import dev.capstan.api.serving.PredictorTemplate;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a backend needs to start a replica of a revision: which revision, the predictor
 * template it was made from (format, batching, resources, container concurrency, request timeout),
 * the model source resolved from the template's {@code storageUri} (a path, {@code file://},
 * {@code http(s)://} or {@code s3://}; never a registry reference) and the registry version it came
 * from if any. The replica serves the model under the service's name ({@code key.service()}).
 */
public record RevisionTemplate(RevisionKey key, PredictorTemplate predictor, String storageUri,
    Optional<String> modelVersion) {
  public RevisionTemplate {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(predictor, "predictor");
    Objects.requireNonNull(storageUri, "storageUri");
    Objects.requireNonNull(modelVersion, "modelVersion");
  }
}
