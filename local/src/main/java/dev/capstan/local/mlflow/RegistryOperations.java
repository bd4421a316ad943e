package dev.capstan.local.mlflow;

import java.util.List;
import java.util.Map;

/**
 * What the MLflow REST layer asks of the model registry. Every method throws {@link MlflowError}
 * with MLflow's code when the registry refuses (a missing model or version is
 * {@code RESOURCE_DOES_NOT_EXIST}, a taken name {@code RESOURCE_ALREADY_EXISTS}, a bad name or
 * source {@code INVALID_PARAMETER_VALUE}, something in use {@code RESOURCE_CONFLICT}).
 * {@code description} arguments may be null (left unset).
 */
public interface RegistryOperations {
  RegisteredModel createModel(String name, String description, Map<String, String> tags);

  RegisteredModel model(String name);

  List<RegisteredModel> models();

  RegisteredModel describeModel(String name, String description);

  RegisteredModel renameModel(String name, String newName);

  void deleteModel(String name);

  /** Registers the artifact at {@code source} (a local path or a URI) as the model's next version. */
  ModelVersion createVersion(String name, String source, String runId, String description, Map<String, String> tags);

  ModelVersion version(String name, long version);

  /** Every version of every model. */
  List<ModelVersion> versions();

  ModelVersion describeVersion(String name, long version, String description);

  void deleteVersion(String name, long version);

  void setAlias(String name, String alias, long version);

  void deleteAlias(String name, String alias);

  ModelVersion versionByAlias(String name, String alias);

  /** Sets the model's tag, or removes it when {@code value} is null (a missing one is RESOURCE_DOES_NOT_EXIST). */
  void tagModel(String name, String key, String value);

  /** Sets the version's tag, or removes it when {@code value} is null (a missing one is RESOURCE_DOES_NOT_EXIST). */
  void tagVersion(String name, long version, String key, String value);

  /** Where the version's stored files can be read from (a {@code file:} or {@code s3:} URI). */
  String downloadUri(String name, long version);
}
