package dev.capstan.local.mlflow;

import dev.capstan.api.registry.Lineage;
import dev.capstan.api.registry.Model;
import dev.capstan.core.registry.ModelVersionState;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Capstan's Model and ModelVersion objects as the MLflow layer shows them. A model's
 * {@code last_updated_timestamp} is its creation time (the store keeps no update time); a version's
 * is when its files were stored, else its creation time. {@code run_id} is the producing job
 * ({@code NAME}, or {@code NAMESPACE/NAME} outside the model's namespace).
 */
final class RegistryViews {
  private RegistryViews() {}

  static RegisteredModel model(Model m) {
    long created = millis(m.getMetadata().getCreationTimestamp());
    return new RegisteredModel(m.getMetadata().getName(), created, created, m.getSpec().getDescription(),
        tags(m.getSpec().getTags()), orEmpty(m.getSpec().getAliases()));
  }

  static ModelVersion version(dev.capstan.api.registry.ModelVersion v, Map<String, Long> modelAliases) {
    long number = v.getSpec().getVersion();
    long created = millis(v.getMetadata().getCreationTimestamp());
    String registered = v.getStatus() == null ? null : v.getStatus().getRegisteredTime();
    List<String> aliases = modelAliases.entrySet().stream().filter(a -> a.getValue() == number)
        .map(Map.Entry::getKey).sorted().toList();
    return new ModelVersion(v.getSpec().getModel(), number, created, registered == null ? created : millis(registered),
        v.getSpec().getDescription(), v.getSpec().getSource(), runId(v), status(v),
        v.getStatus() == null ? null : v.getStatus().getMessage(), tags(v.getSpec().getTags()), aliases);
  }

  static ModelVersion.Status status(dev.capstan.api.registry.ModelVersion v) {
    return ModelVersion.Status.valueOf(ModelVersionState.parse(v.getStatus() == null ? null : v.getStatus().getState()).name());
  }

  private static String runId(dev.capstan.api.registry.ModelVersion v) {
    Lineage.Job job = Optional.ofNullable(v.getSpec().getLineage()).map(Lineage::job).orElse(null);
    if (job == null || job.name() == null) {
      return null;
    }
    return job.namespace() == null || job.namespace().equals(v.getMetadata().getNamespace())
        ? job.name() : job.namespace() + "/" + job.name();
  }

  private static long millis(String timestamp) {
    return timestamp == null ? 0 : Instant.parse(timestamp).toEpochMilli();
  }

  /** Tags as MLflow shows them: a tag stored without a value has the empty one. */
  private static Map<String, String> tags(Map<String, String> tags) {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    if (tags != null) {
      tags.forEach((k, v) -> out.put(k, v == null ? "" : v));
    }
    return out;
  }

  private static <K, V> Map<K, V> orEmpty(Map<K, V> map) {
    return map == null ? Map.of() : map;
  }
}
