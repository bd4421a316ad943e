package dev.capstan.api.kserve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.codec.Manifests;
import dev.capstan.api.serving.InferenceService;
import dev.capstan.api.serving.InferenceServiceModel;
import dev.capstan.api.validation.InvalidSpecException;

/**
 * KServe's {@code serving.kserve.io/v1beta1} InferenceService, accepted as it is and run as
 * Capstan's InferenceService: {@code predictor.model} and the older {@code predictor.onnx} /
 * {@code predictor.pytorch} forms, the scaling and canary fields, {@code batcher}, and the
 * {@code autoscaling.knative.dev/*} annotations. What Capstan cannot honour (another framework or
 * protocol, custom containers, transformers, explainers) is an error naming the field.
 *
 * <pre>{@code
 * if (KServeInferenceServices.isKServe(doc.path("apiVersion").asText(), doc.path("kind").asText())) {
 *   ConvertedService c = KServeInferenceServices.convert(doc);   // say c.summary() and c.notes()
 *   InferenceService isvc = KServeInferenceServices.toInferenceService(doc);
 * }
 * }</pre>
 */
public final class KServeInferenceServices {
  public static final String API_VERSION = "serving.kserve.io/v1beta1";
  /** Annotation on the converted service: the apiVersion it was written as. */
  public static final String SOURCE_API_VERSION = "capstan.dev/source-api-version";

  private KServeInferenceServices() {}

  public static boolean isKServe(String apiVersion, String kind) {
    return API_VERSION.equals(apiVersion) && InferenceService.KIND.equals(kind);
  }

  /** The tree-level conversion, with notes and the path mapping; throws for unknown or refused fields. */
  public static ConvertedService convert(JsonNode manifest) {
    if (manifest == null || !manifest.isObject()) {
      throw new InvalidSpecException("", "a manifest must be a mapping");
    }
    if (!isKServe(manifest.path("apiVersion").asText(null), manifest.path("kind").asText(null))) {
      throw new InvalidSpecException("apiVersion", "must be " + API_VERSION + " for a KServe InferenceService (is '"
          + manifest.path("apiVersion").asText("") + "')");
    }
    return new KServeConversion().convert((ObjectNode) manifest);
  }

  /**
   * The Capstan InferenceService a KServe one runs as, checked by Capstan's codec and validator;
   * errors name the KServe manifest's fields.
   */
  public static InferenceService toInferenceService(JsonNode manifest) {
    ConvertedService converted = convert(manifest);
    return converted.explained(() -> {
      InferenceService service = (InferenceService) Manifests.toResource(converted.inferenceService());
      InferenceServiceModel.from(service);
      return service;
    });
  }
}
