package dev.capstan.local.registry;

import dev.capstan.api.registry.Lineage;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a new version is registered from: an absolute directory whose files are stored, and what
 * the caller knows about it (description, tags, metrics, lineage; each may be null).
 */
public record Registration(Path source, String description, Map<String, String> tags, Map<String, Double> metrics,
    Lineage lineage) {
  public static Registration fromDirectory(Path source) {
    return new Registration(source, null, null, null, null);
  }

  public Registration withLineage(Lineage value) {
    return new Registration(source, description, tags, metrics, value);
  }
}
