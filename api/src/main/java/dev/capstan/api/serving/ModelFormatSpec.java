package dev.capstan.api.serving;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** {@code spec.predictor.model.modelFormat}: onnx | pytorch | capstan-djl, and an optional version. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ModelFormatSpec {
  @Required
  @Pattern("^(onnx|pytorch|capstan-djl)$")
  private String name;

  private String version;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public String getVersion() {
    return version;
  }

  public void setVersion(String version) {
    this.version = version;
  }
}
