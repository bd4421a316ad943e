package dev.capstan.api.kserve;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.kubeflow.FieldNote;
import dev.capstan.api.validation.FieldError;
import dev.capstan.api.validation.InvalidSpecException;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A KServe InferenceService converted to Capstan's manifest (not yet checked by Capstan's codec and
 * validator), the notes on fields accepted but not acted on, and the way back from Capstan's field
 * paths to the manifest's ({@code spec.predictor.batching.maxBatchSize} → {@code spec.predictor.batcher.maxBatchSize}).
 */
public record ConvertedService(ObjectNode inferenceService, List<FieldNote> notes, Map<String, String> kserveByCapstan) {
  public ConvertedService {
    notes = List.copyOf(notes);
    kserveByCapstan = Map.copyOf(kserveByCapstan);
  }

  public String namespace() {
    return inferenceService.path("metadata").path("namespace").asText("default");
  }

  public String name() {
    return inferenceService.path("metadata").path("name").asText("");
  }

  /** The KServe path of a Capstan one: its longest mapped prefix replaced; unmapped paths are the same in both. */
  public String toKServe(String capstanPath) {
    String best = null;
    for (String prefix : kserveByCapstan.keySet()) {
      boolean covers = capstanPath.startsWith(prefix) && (capstanPath.length() == prefix.length()
          || capstanPath.charAt(prefix.length()) == '.' || capstanPath.charAt(prefix.length()) == '[');
      if (covers && (best == null || prefix.length() > best.length())) {
        best = prefix;
      }
    }
    return best == null ? capstanPath : kserveByCapstan.get(best) + capstanPath.substring(best.length());
  }

  /** Runs a check of the converted service, reporting what it refuses at the manifest's own paths. */
  public <T> T explained(Supplier<T> check) {
    try {
      return check.get();
    } catch (InvalidSpecException e) {
      throw new InvalidSpecException(e.errors().stream().map(f -> new FieldError(toKServe(f.path()), f.reason())).toList());
    }
  }

  /** {@code InferenceService default/mlp: serving.kserve.io/v1beta1 converted to capstan.dev/v1alpha1}. */
  public String summary() {
    return "InferenceService " + namespace() + "/" + name() + ": " + KServeInferenceServices.API_VERSION
        + " converted to " + dev.capstan.api.serving.InferenceService.API_VERSION;
  }
}
