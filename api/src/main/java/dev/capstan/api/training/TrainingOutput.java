package dev.capstan.api.training;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/**
 * What a successful job leaves behind to register: the model a new version is registered under,
 * and optionally the path inside the job's output location that holds the model's files (default:
 * all of it). Replicas find the output location in {@code CAPSTAN_OUTPUT_DIR} (local mode) or
 * {@code CAPSTAN_OUTPUT_URI} (an S3 prefix, cluster mode).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrainingOutput {
  /** The registered model (a DNS label of at most 50 characters); created when missing. */
  @Required
  private String model;

  /** A relative path inside the output location, e.g. {@code model}; absent: the whole output. */
  private String path;

  public String getModel() {
    return model;
  }

  public void setModel(String model) {
    this.model = model;
  }

  public String getPath() {
    return path;
  }

  public void setPath(String path) {
    this.path = path;
  }
}
