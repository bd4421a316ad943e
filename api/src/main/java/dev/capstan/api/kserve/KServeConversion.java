package dev.capstan.api.kserve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.kubeflow.FieldNote;
import dev.capstan.api.serving.InferenceService;
import dev.capstan.api.serving.PredictorTemplate;
import dev.capstan.api.validation.Errors;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns one KServe InferenceService into Capstan's, at the JSON tree level: every field is copied,
 * noted (accepted, not acted on) or refused with why; what the copied fields hold is then checked
 * by Capstan's codec and validator.
 */
final class KServeConversion {
  /** Predictor fields with the same name and meaning in both. */
  private static final Set<String> SAME = Set.of("minReplicas", "maxReplicas", "scaleMetric", "scaleTarget",
      "containerConcurrency", "timeout", "canaryTrafficPercent");
  /** Pod-level predictor fields Capstan accepts without acting on them. */
  private static final Set<String> POD_NOTED = Set.of("serviceAccountName", "nodeSelector", "tolerations", "affinity",
      "priorityClassName", "imagePullSecrets", "schedulerName", "labels", "annotations", "deploymentStrategy",
      "automountServiceAccountToken", "enableServiceLinks");
  /** Older framework forms Capstan serves, by the format they mean. */
  private static final Map<String, String> FRAMEWORKS = Map.of("onnx", "onnx", "pytorch", "pytorch");
  /** Older framework forms and model formats Capstan's model server does not open. */
  private static final Set<String> OTHER_FRAMEWORKS = Set.of("sklearn", "xgboost", "tensorflow", "triton", "lightgbm",
      "paddle", "pmml", "huggingface");
  private static final Set<String> PROTOCOLS = Set.of("v2", "grpc-v2");

  private final Errors errors = new Errors();
  private final List<FieldNote> notes = new ArrayList<>();
  private final Map<String, String> paths = new LinkedHashMap<>();
  private final ObjectNode out = JsonNodeFactory.instance.objectNode();

  ConvertedService convert(ObjectNode manifest) {
    out.put("apiVersion", InferenceService.API_VERSION);
    out.put("kind", InferenceService.KIND);
    ObjectNode metadata = manifest.path("metadata").isObject() ? ((ObjectNode) manifest.get("metadata")).deepCopy()
        : JsonNodeFactory.instance.objectNode();
    JsonNode annotations = metadata.path("annotations");
    if (!annotations.isMissingNode() && !annotations.isNull() && !annotations.isObject()) {
      errors.add("metadata.annotations", "must be a mapping of names to values");
      errors.throwIfAny();
    }
    metadata.with("annotations").put(KServeInferenceServices.SOURCE_API_VERSION, KServeInferenceServices.API_VERSION);
    out.set("metadata", metadata);
    ObjectNode predictor = out.putObject("spec").putObject("predictor");
    for (Iterator<Map.Entry<String, JsonNode>> it = manifest.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      switch (f.getKey()) {
        case "apiVersion", "kind", "metadata" -> { }
        case "status" -> notes.add(new FieldNote("status", "ignored: status is written by the controller"));
        case "spec" -> spec(f.getValue(), predictor);
        default -> errors.add(f.getKey(), "unknown field '" + f.getKey() + "'");
      }
    }
    errors.throwIfAny();
    return new ConvertedService(out, notes, paths);
  }

  private void spec(JsonNode spec, ObjectNode predictor) {
    if (!spec.isObject()) {
      errors.add("spec", "must be a mapping");
      return;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = spec.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      switch (f.getKey()) {
        case "predictor" -> predictor(f.getValue(), predictor);
        case "transformer", "explainer" -> errors.add("spec." + f.getKey(), "not supported: Capstan serves the predictor only");
        default -> errors.add("spec." + f.getKey(), "unknown field '" + f.getKey() + "'");
      }
    }
    if (!spec.has("predictor")) {
      errors.add("spec.predictor", "required");
    }
  }

  private void predictor(JsonNode node, ObjectNode predictor) {
    String path = "spec.predictor";
    if (!node.isObject()) {
      errors.add(path, "must be a mapping");
      return;
    }
    List<String> forms = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      String key = f.getKey();
      String at = path + "." + key;
      if (SAME.contains(key)) {
        predictor.set(key, f.getValue().deepCopy());
      } else if (key.equals("model")) {
        forms.add(key);
        model(f.getValue(), at, null, predictor);
      } else if (FRAMEWORKS.containsKey(key)) {
        forms.add(key);
        model(f.getValue(), at, FRAMEWORKS.get(key), predictor);
      } else if (OTHER_FRAMEWORKS.contains(key)) {
        forms.add(key);
        errors.add(at, "not supported: Capstan's model server opens onnx, pytorch (TorchScript) and capstan-djl models");
      } else if (key.equals("batcher")) {
        batcher(f.getValue(), at, predictor);
      } else if (POD_NOTED.contains(key)) {
        notes.add(new FieldNote(at, "accepted, not acted on: Capstan places and runs the model server itself"));
      } else if (key.equals("containers") || key.equals("initContainers") || key.equals("volumes") || key.equals("workerSpec")) {
        errors.add(at, "not supported: Capstan runs its own model server (custom containers, volumes and workers are not used)");
      } else if (key.equals("logger")) {
        errors.add(at, "not supported: request logging to a sink is not available");
      } else {
        errors.add(at, "unknown field '" + key + "'");
      }
    }
    if (forms.isEmpty()) {
      errors.add(path + ".model", "required (or the older predictor.onnx / predictor.pytorch form)");
    } else if (forms.size() > 1) {
      errors.add(path, "give one model, not " + String.join(" and ", forms));
    }
  }

  /**
   * {@code predictor.model} (format given inside) or an older framework form (format given by the
   * key): storage, format, runtime, protocol and the container's resources.
   */
  private void model(JsonNode node, String path, String formatFromKey, ObjectNode predictor) {
    if (!node.isObject()) {
      errors.add(path, "must be a mapping");
      return;
    }
    ObjectNode model = predictor.putObject("model");
    paths.put("spec.predictor.model", path);
    if (formatFromKey != null) {
      model.putObject("modelFormat").put("name", formatFromKey);
      paths.put("spec.predictor.model.modelFormat", path);
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      String key = f.getKey();
      String at = path + "." + key;
      switch (key) {
        case "storageUri" -> model.set("storageUri", f.getValue().deepCopy());
        case "modelFormat" -> {
          if (formatFromKey != null) {
            errors.add(at, "unknown field 'modelFormat' (the format is given by '" + path + "')");
          } else {
            model.set("modelFormat", f.getValue().deepCopy());
          }
        }
        case "resources" -> {
          predictor.set("resources", f.getValue().deepCopy());
          paths.put("spec.predictor.resources", at);
        }
        case "runtime", "runtimeVersion" -> {
          if (!PredictorTemplate.RUNTIME.equals(f.getValue().asText())) {
            notes.add(new FieldNote(at, "'" + f.getValue().asText() + "' is not used: Capstan's model server serves the model"));
          }
        }
        case "protocolVersion" -> {
          if (!PROTOCOLS.contains(f.getValue().asText())) {
            errors.add(at, "not supported: Capstan speaks the Open Inference Protocol (v2, grpc-v2), not '"
                + f.getValue().asText() + "'");
          }
        }
        case "name" -> notes.add(new FieldNote(at, "accepted, not acted on: the model is served under the service's name"));
        default -> errors.add(at, "not supported: Capstan runs its own model server (only storageUri, modelFormat, "
            + "runtime, protocolVersion and resources are read)");
      }
    }
    if (formatFromKey == null) {
      String format = node.path("modelFormat").path("name").asText("");
      if (OTHER_FRAMEWORKS.contains(format)) {
        errors.add(path + ".modelFormat.name", "not supported: Capstan's model server opens onnx, pytorch (TorchScript) "
            + "and capstan-djl models (is '" + format + "')");
      }
    } else if (formatFromKey.equals("pytorch")) {
      notes.add(new FieldNote(path, "served as TorchScript by Capstan's model server (a TorchServe .mar archive is not opened)"));
    }
  }

  /** KServe's batcher: {@code maxBatchSize}, {@code maxLatency} in milliseconds, {@code timeout} in seconds. */
  private void batcher(JsonNode node, String path, ObjectNode predictor) {
    if (!node.isObject()) {
      errors.add(path, "must be a mapping");
      return;
    }
    ObjectNode batching = predictor.putObject("batching");
    paths.put("spec.predictor.batching", path);
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      String at = path + "." + f.getKey();
      switch (f.getKey()) {
        case "maxBatchSize" -> batching.set("maxBatchSize", f.getValue().deepCopy());
        case "maxLatency" -> {
          if (!f.getValue().canConvertToExactIntegral() || f.getValue().asLong() < 0 || f.getValue().asLong() > 1_000_000) {
            errors.add(at, "must be a whole number of milliseconds (is " + f.getValue() + ")");
          } else {
            batching.put("maxLatency", f.getValue().asLong() + "ms");
          }
        }
        case "timeout" -> notes.add(new FieldNote(at, "accepted, not acted on: requests time out after spec.predictor.timeout"));
        default -> errors.add(at, "unknown field '" + f.getKey() + "'");
      }
    }
  }
}
