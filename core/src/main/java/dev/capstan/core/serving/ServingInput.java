package dev.capstan.core.serving;

import dev.capstan.api.serving.InferenceServiceModel;
import dev.capstan.api.serving.InferenceServiceStatus;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Everything the serving planner needs: the validated service, its recorded status (null when
 * new), what the backend observed, what its model source resolved to, the autoscalers' replica
 * counts per revision name (revisions without one start at {@code max(1, minReplicas)}), the
 * gateway URL of the service, and the time.
 */
public record ServingInput(InferenceServiceModel model, InferenceServiceStatus previous, ObservedRevisions observed,
    SourceResolution source, Map<String, Integer> scaleDecisions, String url, Instant now) {
  public ServingInput {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(observed, "observed");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(now, "now");
    scaleDecisions = Map.copyOf(scaleDecisions);
  }
}
