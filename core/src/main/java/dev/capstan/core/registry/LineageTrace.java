package dev.capstan.core.registry;

import dev.capstan.api.registry.Lineage;
import dev.capstan.api.registry.Model;
import dev.capstan.api.registry.ModelVersion;
import dev.capstan.api.serving.InferenceService;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The chain datasets → TrainingJob → ModelVersion → InferenceService revisions, for the versions a
 * question selects: of a model (all, one version, or the one an alias points at), made by a job,
 * or served by a service. Built from what is stored, so it works after the job is deleted (each
 * version holds a copy of its lineage). Pure: the caller reads the objects.
 */
public record LineageTrace(String subject, List<VersionTrace> versions) {
  /** One version with where it came from and what serves it. */
  public record VersionTrace(String namespace, String model, long version, String state, List<String> aliases,
      String storageUri, Lineage lineage, List<ModelServing.Revision> servedBy) {}

  /** The stored objects of one namespace that a trace is drawn from. */
  public record Stored(String namespace, List<Model> models, List<ModelVersion> versions, List<InferenceService> services) {}

  /** Versions of {@code model}: one number, the alias's version, or (both null) every version. */
  public static LineageTrace ofModel(Stored stored, String model, Long version, String alias) {
    Map<String, Long> aliases = aliases(stored, model);
    if (alias != null && !aliases.containsKey(alias)) {
      throw new RegistryException(RegistryException.Reason.NOT_FOUND,
          "model " + stored.namespace() + "/" + model + " has no alias '" + alias + "'");
    }
    Long wanted = alias != null ? aliases.get(alias) : version;
    String subject = "model/" + model + (alias != null ? "@" + alias : version != null ? "/" + version : "");
    LineageTrace trace = select(stored, subject, v -> v.getSpec().getModel().equals(model)
        && (wanted == null || wanted.equals(v.getSpec().getVersion())));
    if (trace.versions().isEmpty()) {
      throw new RegistryException(RegistryException.Reason.NOT_FOUND, (wanted == null ? "model " + stored.namespace() + "/" + model
          : "version " + wanted + " of model " + stored.namespace() + "/" + model) + " not found");
    }
    return trace;
  }

  /** Versions registered from the output of (or with the lineage of) TrainingJob {@code job}. */
  public static LineageTrace ofJob(Stored stored, String job) {
    return select(stored, "trainingjob/" + job, v -> {
      Lineage l = v.getSpec().getLineage();
      return l != null && l.job() != null && job.equals(l.job().name()) && stored.namespace().equals(l.job().namespace());
    });
  }

  /** Versions a revision of InferenceService {@code service} serves. */
  public static LineageTrace ofService(Stored stored, String service) {
    List<InferenceService> one = stored.services().stream().filter(s -> s.getMetadata().getName().equals(service)).toList();
    return select(stored, "isvc/" + service, v -> !ModelServing.revisionsServing(one, stored.namespace(), v.getSpec().getModel(),
        v.getSpec().getVersion(), storageUri(v)).isEmpty());
  }

  private static LineageTrace select(Stored stored, String subject, Predicate<ModelVersion> wanted) {
    List<VersionTrace> traces = stored.versions().stream()
        .filter(v -> stored.namespace().equals(v.getMetadata().getNamespace()) && wanted.test(v))
        .map(v -> trace(stored, v)).toList();
    return new LineageTrace(subject, traces);
  }

  private static VersionTrace trace(Stored stored, ModelVersion v) {
    String model = v.getSpec().getModel();
    long number = v.getSpec().getVersion();
    List<String> aliases = aliases(stored, model).entrySet().stream().filter(e -> Objects.equals(e.getValue(), number))
        .map(Map.Entry::getKey).sorted().toList();
    return new VersionTrace(stored.namespace(), model, number, v.getStatus() == null ? null : v.getStatus().getState(), aliases,
        storageUri(v), v.getSpec().getLineage(),
        ModelServing.revisionsServing(stored.services(), stored.namespace(), model, number, storageUri(v)));
  }

  private static Map<String, Long> aliases(Stored stored, String model) {
    return stored.models().stream().filter(m -> m.getMetadata().getName().equals(model)).findFirst()
        .map(m -> m.getSpec() == null || m.getSpec().getAliases() == null ? Map.<String, Long>of() : m.getSpec().getAliases())
        .orElse(Map.of());
  }

  private static String storageUri(ModelVersion v) {
    return v.getStatus() == null ? null : v.getStatus().getStorageUri();
  }
}
