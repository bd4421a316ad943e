package dev.capstan.local.mlflow;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Entities in MLflow's JSON, field names as in its {@code model_registry.proto}: snake_case,
 * timestamps as integers of milliseconds, version numbers as strings, tags as
 * {@code [{"key", "value"}]}. As MLflow's server does, a field that is unset or an empty list is
 * left out. Capstan has no stages: {@code current_stage} is always {@code "None"}, and a model's
 * {@code latest_versions} holds its newest READY version.
 */
final class MlflowJson {
  static final String NO_STAGE = "None";

  private MlflowJson() {}

  static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  static ObjectNode model(RegisteredModel m, List<ModelVersion> latest) {
    ObjectNode o = object().put("name", m.name())
        .put("creation_timestamp", m.creationTimestamp())
        .put("last_updated_timestamp", m.lastUpdatedTimestamp());
    putText(o, "description", m.description());
    if (!latest.isEmpty()) {
      ArrayNode versions = o.putArray("latest_versions");
      latest.forEach(v -> versions.add(version(v)));
    }
    putTags(o, m.tags());
    if (!m.aliases().isEmpty()) {
      ArrayNode aliases = o.putArray("aliases");
      m.aliases().entrySet().stream().sorted(Map.Entry.comparingByKey())
          .forEach(a -> aliases.addObject().put("alias", a.getKey()).put("version", Long.toString(a.getValue())));
    }
    return o;
  }

  static ObjectNode version(ModelVersion v) {
    ObjectNode o = object().put("name", v.name())
        .put("version", Long.toString(v.version()))
        .put("creation_timestamp", v.creationTimestamp())
        .put("last_updated_timestamp", v.lastUpdatedTimestamp())
        .put("current_stage", NO_STAGE);
    putText(o, "description", v.description());
    putText(o, "source", v.source());
    putText(o, "run_id", v.runId());
    o.put("status", v.status().name());
    putText(o, "status_message", v.statusMessage());
    putTags(o, v.tags());
    putStrings(o, "aliases", v.aliases());
    return o;
  }

  static ObjectNode versions(String field, Collection<ModelVersion> versions) {
    ObjectNode o = object();
    if (!versions.isEmpty()) {
      ArrayNode array = o.putArray(field);
      versions.forEach(v -> array.add(version(v)));
    }
    return o;
  }

  static ObjectNode error(MlflowError e) {
    return object().put("error_code", e.code().name()).put("message", e.getMessage());
  }

  private static void putText(ObjectNode o, String field, String value) {
    if (value != null && !value.isEmpty()) {
      o.put(field, value);
    }
  }

  private static void putTags(ObjectNode o, Map<String, String> tags) {
    if (!tags.isEmpty()) {
      ArrayNode array = o.putArray("tags");
      tags.entrySet().stream().sorted(Map.Entry.comparingByKey())
          .forEach(t -> array.addObject().put("key", t.getKey()).put("value", t.getValue()));
    }
  }

  private static void putStrings(ObjectNode o, String field, List<String> values) {
    if (!values.isEmpty()) {
      ArrayNode array = o.putArray(field);
      values.forEach(array::add);
    }
  }
}
