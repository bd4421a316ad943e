package dev.capstan.api.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A version as registered: its model and number (set by the registry), the source it was
 * registered from (a directory or URI), metrics and lineage. Once READY only {@code description}
 * and {@code tags} may change.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ModelVersionSpec {
  private String model;
  private Long version;
  private String source;
  private String description;
  private Map<String, String> tags = new LinkedHashMap<>();
  private Map<String, Double> metrics = new LinkedHashMap<>();
  private Lineage lineage;

  public String getModel() {
    return model;
  }

  public void setModel(String model) {
    this.model = model;
  }

  public Long getVersion() {
    return version;
  }

  public void setVersion(Long version) {
    this.version = version;
  }

  public String getSource() {
    return source;
  }

  public void setSource(String source) {
    this.source = source;
  }

  public String getDescription() {
    return description;
  }

  public void setDescription(String description) {
    this.description = description;
  }

  public Map<String, String> getTags() {
    return tags;
  }

  public void setTags(Map<String, String> tags) {
    this.tags = tags;
  }

  public Map<String, Double> getMetrics() {
    return metrics;
  }

  public void setMetrics(Map<String, Double> metrics) {
    this.metrics = metrics;
  }

  public Lineage getLineage() {
    return lineage;
  }

  public void setLineage(Lineage lineage) {
    this.lineage = lineage;
  }
}
