package dev.capstan.api.serving;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** {@code spec.predictor.model}: the model's format and where its files are. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PredictorModelSpec {
  @Required
  private ModelFormatSpec modelFormat;

  /**
   * Where the model is: a path, {@code file://}, {@code http(s)://}, {@code s3://},
   * {@code models:/NAME/VERSION} or {@code models:/NAME@ALIAS} (see {@link StorageUri}).
   */
  @Required
  private String storageUri;

  /** The serving runtime; only Capstan's own model server ({@code capstan}, the default) is supported. */
  private String runtime;

  public ModelFormatSpec getModelFormat() {
    return modelFormat;
  }

  public void setModelFormat(ModelFormatSpec modelFormat) {
    this.modelFormat = modelFormat;
  }

  public String getStorageUri() {
    return storageUri;
  }

  public void setStorageUri(String storageUri) {
    this.storageUri = storageUri;
  }

  public String getRuntime() {
    return runtime;
  }

  public void setRuntime(String runtime) {
    this.runtime = runtime;
  }
}
