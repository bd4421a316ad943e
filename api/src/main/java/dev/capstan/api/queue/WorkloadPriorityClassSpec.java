package dev.capstan.api.queue;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;

/** A priority value (higher is more important) and what it is for. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class WorkloadPriorityClassSpec {
  @Required
  private Integer value;
  private String description;

  public Integer getValue() {
    return value;
  }

  public void setValue(Integer value) {
    this.value = value;
  }

  public String getDescription() {
    return description;
  }

  public void setDescription(String description) {
    this.description = description;
  }
}
