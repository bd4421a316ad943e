package dev.capstan.local.mlflow;

import java.util.Map;

/**
 * A registered model as the MLflow REST layer shows it. Timestamps are milliseconds since the
 * epoch; {@code aliases} maps each alias to the version number it points at.
 */
public record RegisteredModel(String name, long creationTimestamp, long lastUpdatedTimestamp, String description,
    Map<String, String> tags, Map<String, Long> aliases) {
  public RegisteredModel {
    tags = Map.copyOf(tags);
    aliases = Map.copyOf(aliases);
  }
}
