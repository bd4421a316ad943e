package dev.capstan.api.kubeflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.training.Framework;
import dev.capstan.api.training.TrainingJob;
import dev.capstan.api.validation.Errors;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Turns one Kubeflow job manifest into a TrainingJob manifest, field by field as
 * {@link KubeflowFields} says, at the JSON tree level: what the fields hold is then checked by
 * Capstan's own codec and validator, with paths mapped back through {@link FieldPaths}.
 */
final class KubeflowConversion {
  private static final String REPLICA_SPECS = "spec.{replicaSpecs}";

  private final KubeflowKind kind;
  private final Errors errors = new Errors();
  private final List<FieldNote> notes = new ArrayList<>();
  private final FieldPaths paths = new FieldPaths();
  private final ObjectNode out = JsonNodeFactory.instance.objectNode();

  KubeflowConversion(KubeflowKind kind) {
    this.kind = kind;
  }

  ConvertedJob convert(ObjectNode manifest) {
    out.put("apiVersion", TrainingJob.API_VERSION);
    out.put("kind", TrainingJob.KIND);
    out.putObject("metadata");
    out.putObject("spec").put("framework", kind.framework());
    paths.add("spec.framework", "kind");
    paths.add("spec.replicas", "spec." + kind.replicaSpecsField());
    walk(manifest, "", "", null);
    crossChecks(manifest);
    errors.throwIfAny();
    kubeflowDefaults();
    annotate();
    return new ConvertedJob(kind, out, List.copyOf(notes), paths);
  }

  private void walk(JsonNode node, String pattern, String path, String role) {
    Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      String key = field.getKey();
      String childPattern = childPattern(pattern, key);
      String childPath = path.isEmpty() ? key : path + "." + key;
      String childRole = pattern.equals(REPLICA_SPECS) ? key : role;
      FieldRule rule = KubeflowFields.rule(kind, childPattern).orElse(null);
      if (childRole != null && childRole.contains(".")) {
        errors.add(childPath, "'" + key + "' is not a replica type of " + kind.kind());
      } else if (rule == null) {
        errors.add(childPath, "unknown field '" + key + "' (" + kind.kind() + " " + KubeflowKind.API_VERSION + " has no such field)");
      } else if (rule.refuses(field.getValue())) {
        errors.add(childPath, "refused: " + rule.text());
      } else {
        accept(rule, field.getValue(), childPattern, childPath, childRole);
      }
    }
  }

  private void accept(FieldRule rule, JsonNode value, String pattern, String path, String role) {
    boolean mapping = KubeflowFields.hasFields(kind, pattern);
    if (rule.treatment() == FieldRule.Treatment.NOTED && !mapping) {
      notes.add(new FieldNote(path, rule.text()));
    }
    if (rule.target() == null) {
      if (mapping && value.isObject()) {
        walk(value, pattern, path, role);
      }
      return;
    }
    String target = rule.target().replace("{role}", role == null ? "" : role);
    paths.add(target, path);
    if (!mapping) {
      JsonNode converted = rule.value().apply(value);
      if (converted != null) {
        parentOf(target).set(leaf(target), converted.deepCopy());
      }
    } else if (value.isObject()) {
      objectAt(target);
      walk(value, pattern, path, role);
    } else if (!value.isNull()) {
      errors.add(path, "must be a mapping");
    }
  }

  private String childPattern(String pattern, String key) {
    if (pattern.isEmpty()) {
      return key;
    }
    if (pattern.equals("spec") && key.equals(kind.replicaSpecsField())) {
      return REPLICA_SPECS;
    }
    if (pattern.equals(REPLICA_SPECS)) {
      return REPLICA_SPECS + ".{role}";
    }
    return pattern + "." + key;
  }

  /** What Kubeflow's webhooks refuse across fields, and what Capstan cannot run at all. */
  private void crossChecks(ObjectNode manifest) {
    JsonNode spec = manifest.path("spec");
    JsonNode elastic = spec.path("elasticPolicy");
    if (kind == KubeflowKind.PYTORCH_JOB && elastic.isObject()) {
      if (elastic.hasNonNull("nProcPerNode") && spec.hasNonNull("nprocPerNode")) {
        errors.add("spec.elasticPolicy.nProcPerNode", "must not be used with spec.nprocPerNode (it is the deprecated spelling of it)");
      }
      JsonNode groups = spec.path(kind.replicaSpecsField());
      if (groups.isObject() && !groups.has("Worker")) {
        errors.add("spec." + kind.replicaSpecsField() + ".Worker", "must be configured if elastic policy is used");
      }
    }
    if (Framework.fromWire(kind.framework()).isEmpty()) {
      errors.add("kind", kind.kind() + " runs as framework '" + kind.framework() + "', which this version of Capstan does not have");
    }
  }

  /**
   * Where Kubeflow's defaults differ from Capstan's own, the manifest keeps Kubeflow's meaning:
   * every kind's defaulting (v1.9, MXJob v1.7) sets {@code runPolicy.cleanPodPolicy: None}, so
   * replicas still running when the job ends are left running, as they would be under Kubeflow.
   */
  private void kubeflowDefaults() {
    ObjectNode runPolicy = objectAt("spec.runPolicy");
    if (!runPolicy.hasNonNull("cleanPodPolicy")) {
      runPolicy.put("cleanPodPolicy", "None");
    }
  }

  /** Records where the job came from, so it can be listed under its Kubeflow kind. */
  private void annotate() {
    JsonNode meta = out.get("metadata");
    if (meta instanceof ObjectNode m && (m.get("annotations") == null || m.get("annotations").isObject())) {
      ObjectNode annotations = m.with("annotations");
      annotations.put(KubeflowJobs.SOURCE_KIND, kind.kind());
      annotations.put(KubeflowJobs.SOURCE_API_VERSION, KubeflowKind.API_VERSION);
    }
  }

  private ObjectNode objectAt(String dotted) {
    ObjectNode node = out;
    for (String segment : dotted.split("\\.")) {
      JsonNode child = node.get(segment);
      node = child instanceof ObjectNode o ? o : node.putObject(segment);
    }
    return node;
  }

  private ObjectNode parentOf(String dotted) {
    int dot = dotted.lastIndexOf('.');
    return dot < 0 ? out : objectAt(dotted.substring(0, dot));
  }

  private static String leaf(String dotted) {
    return dotted.substring(dotted.lastIndexOf('.') + 1);
  }
}
