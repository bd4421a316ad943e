package dev.capstan.api.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.codec.Manifests;

/** Test manifests of InferenceServices: a valid base, edited one field at a time. */
public final class InferenceServiceManifests {
  private InferenceServiceManifests() {}

  /** A valid Capstan InferenceService {@code team-a/mlp} serving an ONNX model from a path. */
  public static ObjectNode base() {
    return Manifests.parseDocuments("""
        apiVersion: capstan.dev/v1alpha1
        kind: InferenceService
        metadata: {name: mlp, namespace: team-a, generation: 1}
        spec:
          predictor:
            model:
              modelFormat: {name: onnx}
              storageUri: models/mlp
        """, "test").getFirst();
  }

  /** Sets the field at a dotted path (brackets name a map key with dots: {@code metadata.annotations[a.b/c]}) to a YAML value. */
  public static ObjectNode with(ObjectNode doc, String path, String yamlValue) {
    JsonNode value = Manifests.parseDocuments("v: " + yamlValue, "test").getFirst().get("v");
    ObjectNode node = doc;
    String[] parts = split(path);
    for (int i = 0; i < parts.length - 1; i++) {
      node = node.with(parts[i]);
    }
    if (value == null) {
      node.remove(parts[parts.length - 1]);
    } else {
      node.set(parts[parts.length - 1], value);
    }
    return doc;
  }

  public static InferenceService service(ObjectNode doc) {
    return (InferenceService) Manifests.toResource(doc);
  }

  public static InferenceServiceModel model(ObjectNode doc) {
    return InferenceServiceModel.from(service(doc));
  }

  private static String[] split(String path) {
    int bracket = path.indexOf('[');
    if (bracket < 0) {
      return path.split("\\.");
    }
    String[] head = path.substring(0, bracket).split("\\.");
    String[] out = java.util.Arrays.copyOf(head, head.length + 1);
    out[head.length] = path.substring(bracket + 1, path.length() - 1);
    return out;
  }
}
