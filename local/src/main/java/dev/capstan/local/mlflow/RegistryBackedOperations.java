package dev.capstan.local.mlflow;

import dev.capstan.api.registry.Lineage;
import dev.capstan.api.registry.Model;
import dev.capstan.api.validation.FieldError;
import dev.capstan.api.validation.InvalidSpecException;
import dev.capstan.core.registry.RegistryException;
import dev.capstan.local.registry.ModelRegistry;
import dev.capstan.local.registry.Registration;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The MLflow calls answered by Capstan's {@link ModelRegistry}, in one namespace (MLflow has
 * none; {@value #NAMESPACE} unless the server says otherwise). MLflow's {@code run_id} is the
 * TrainingJob that produced a version ({@code NAME} in this namespace or {@code NAMESPACE/NAME}):
 * its lineage is copied into the version, and a run_id that names no job is refused.
 * {@code source} is a local directory, as an absolute path or a {@code file:} URI. The registry's
 * refusals become MLflow's codes here, in one place.
 */
public final class RegistryBackedOperations implements RegistryOperations {
  public static final String NAMESPACE = "default";

  private final ModelRegistry registry;
  private final String namespace;

  public RegistryBackedOperations(ModelRegistry registry, String namespace) {
    this.registry = registry;
    this.namespace = namespace;
  }

  @Override
  public RegisteredModel createModel(String name, String description, Map<String, String> tags) {
    return answer(() -> RegistryViews.model(registry.createModel(namespace, name, description, tags)));
  }

  @Override
  public RegisteredModel model(String name) {
    return answer(() -> RegistryViews.model(registry.getModel(namespace, name)));
  }

  @Override
  public List<RegisteredModel> models() {
    return answer(() -> registry.listModels(namespace).stream().map(RegistryViews::model).toList());
  }

  @Override
  public RegisteredModel describeModel(String name, String description) {
    return answer(() -> RegistryViews.model(registry.updateModel(namespace, name, description, null)));
  }

  @Override
  public RegisteredModel renameModel(String name, String newName) {
    return answer(() -> {
      registry.getModel(namespace, name);
      throw MlflowError.invalid("Renaming a registered model is not supported: Capstan names each version after its model "
          + "and serving follows models:/" + name + " URIs; create '" + newName + "' and register its versions there.");
    });
  }

  @Override
  public void deleteModel(String name) {
    answer(() -> {
      registry.deleteModel(namespace, name);
      return null;
    });
  }

  @Override
  public ModelVersion createVersion(String name, String source, String runId, String description, Map<String, String> tags) {
    return answer(() -> {
      registry.getModel(namespace, name); // MLflow registers versions of an existing model only
      Lineage lineage = runId == null || runId.isEmpty() ? null : lineage(runId);
      Registration request = new Registration(directory(source).toString(), description, tags, null, lineage);
      return RegistryViews.version(registry.register(namespace, name, request), aliases(name));
    });
  }

  @Override
  public ModelVersion version(String name, long version) {
    return answer(() -> RegistryViews.version(registry.getVersion(namespace, name, version), aliases(name)));
  }

  @Override
  public List<ModelVersion> versions() {
    return answer(() -> {
      Map<String, Map<String, Long>> aliases = new java.util.HashMap<>();
      registry.listModels(namespace).forEach(m -> aliases.put(m.getMetadata().getName(), m.getSpec().getAliases()));
      return registry.listVersions(namespace, null).stream()
          .map(v -> RegistryViews.version(v, aliases.getOrDefault(v.getSpec().getModel(), Map.of())))
          .toList();
    });
  }

  @Override
  public ModelVersion describeVersion(String name, long version, String description) {
    return answer(() -> RegistryViews.version(registry.updateVersion(namespace, name, version, description, null), aliases(name)));
  }

  @Override
  public void deleteVersion(String name, long version) {
    answer(() -> {
      registry.deleteVersion(namespace, name, version);
      return null;
    });
  }

  @Override
  public void setAlias(String name, String alias, long version) {
    answer(() -> registry.setAlias(namespace, name, alias, version, null));
  }

  @Override
  public void deleteAlias(String name, String alias) {
    answer(() -> {
      Model model = registry.getModel(namespace, name);
      if (!model.getSpec().getAliases().containsKey(alias)) {
        throw MlflowError.notFound("Registered model '" + name + "' has no alias '" + alias + "'.");
      }
      return registry.deleteAlias(namespace, name, alias, null);
    });
  }

  @Override
  public ModelVersion versionByAlias(String name, String alias) {
    return answer(() -> RegistryViews.version(registry.versionByAlias(namespace, name, alias), aliases(name)));
  }

  @Override
  public String downloadUri(String name, long version) {
    return answer(() -> {
      dev.capstan.api.registry.ModelVersion v = registry.getVersion(namespace, name, version);
      String uri = v.getStatus() == null ? null : v.getStatus().getStorageUri();
      if (uri == null) {
        throw MlflowError.invalid("Version " + version + " of '" + name + "' has no stored files (its status is "
            + RegistryViews.status(v) + ").");
      }
      return uri;
    });
  }

  @Override
  public void tagModel(String name, String key, String value) {
    answer(() -> registry.retagModel(namespace, name, tags -> retagged(tags, key, value, "Registered model '" + name + "'")));
  }

  @Override
  public void tagVersion(String name, long version, String key, String value) {
    answer(() -> registry.retagVersion(namespace, name, version,
        tags -> retagged(tags, key, value, "Version " + version + " of '" + name + "'")));
  }

  /** The tags (a copy the registry hands over) with one set, or removed when {@code value} is null. */
  private static Map<String, String> retagged(Map<String, String> tags, String key, String value, String owner) {
    if (value != null) {
      tags.put(key, value);
    } else if (tags.remove(key) == null) {
      throw MlflowError.notFound(owner + " has no tag '" + key + "'.");
    }
    return tags;
  }

  private Map<String, Long> aliases(String name) {
    return registry.findModel(namespace, name).map(m -> m.getSpec().getAliases()).orElse(Map.of());
  }

  private Lineage lineage(String runId) {
    int slash = runId.indexOf('/');
    String ns = slash < 0 ? namespace : runId.substring(0, slash);
    String job = slash < 0 ? runId : runId.substring(slash + 1);
    try {
      return registry.jobLineage(ns, job);
    } catch (RegistryException e) {
      if (e.reason() == RegistryException.Reason.NOT_FOUND) {
        throw MlflowError.notFound("run_id '" + runId + "' names no TrainingJob: give the job that produced the model, "
            + "as NAME (namespace " + namespace + ") or NAMESPACE/NAME.");
      }
      throw e;
    }
  }

  /** An absolute directory path, or a {@code file:} URI of one; other schemes are refused. */
  private static Path directory(String source) {
    if (source.indexOf('\0') >= 0) {
      throw MlflowError.invalid("Invalid value for parameter 'source': it contains a NUL character.");
    }
    if (source.startsWith("/")) {
      return Path.of(source);
    }
    URI uri;
    try {
      uri = URI.create(source);
    } catch (IllegalArgumentException e) {
      throw MlflowError.invalid("Invalid value for parameter 'source': not a path or URI (" + e.getMessage() + ").");
    }
    if ("file".equalsIgnoreCase(uri.getScheme()) && uri.getPath() != null && uri.getPath().startsWith("/")) {
      return directory(uri.getPath());
    }
    throw MlflowError.invalid("Invalid value for parameter 'source': '" + MlflowParams.abbreviate(source)
        + "' is not a local directory; give an absolute path or a file: URI.");
  }

  /** Runs a registry call; its refusals become MLflow errors. */
  private static <T> T answer(Supplier<T> call) {
    try {
      return call.get();
    } catch (RegistryException e) {
      throw new MlflowError(code(e.reason()), e.getMessage());
    } catch (InvalidSpecException e) {
      throw MlflowError.invalid(String.join("; ", e.errors().stream().map(RegistryBackedOperations::parameter).toList()));
    }
  }

  private static MlflowError.Code code(RegistryException.Reason reason) {
    return switch (reason) {
      case NOT_FOUND -> MlflowError.Code.RESOURCE_DOES_NOT_EXIST;
      case ALREADY_EXISTS -> MlflowError.Code.RESOURCE_ALREADY_EXISTS;
      case STALE, IN_USE -> MlflowError.Code.RESOURCE_CONFLICT;
      case INVALID, WRONG_STATE -> MlflowError.Code.INVALID_PARAMETER_VALUE;
    };
  }

  /** A field error in MLflow's words: the request parameter it came from, and why. */
  private static String parameter(FieldError error) {
    String path = error.path();
    String param = switch (path) {
      case "metadata.name", "spec.model" -> "name";
      case "spec.description" -> "description";
      case "spec.source" -> "source";
      default -> path.startsWith("spec.tags") ? "tags" : path;
    };
    return "Invalid value for parameter '" + param + "': " + error.reason();
  }
}
