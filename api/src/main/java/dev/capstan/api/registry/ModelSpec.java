package dev.capstan.api.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a user sets on a Model; {@code aliases} maps an alias name to a version number. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ModelSpec {
  private String description;
  private Map<String, String> tags = new LinkedHashMap<>();
  private Map<String, Long> aliases = new LinkedHashMap<>();

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

  public Map<String, Long> getAliases() {
    return aliases;
  }

  public void setAliases(Map<String, Long> aliases) {
    this.aliases = aliases;
  }
}
