package dev.capstan.local.registry;

import dev.capstan.api.registry.Lineage;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a new version is registered from: an absolute directory or an {@code s3://bucket/prefix}
 * whose files are stored, and what
 * the caller knows about it (description, tags, metrics, lineage; each may be null).
 * {@code outputOfJob} is the uid of the TrainingJob whose output this is (null for a registration by
 * hand): a model has at most one version per such uid, so registering a job's output again returns
 * the version it already made.
 */
public record Registration(String source, String description, Map<String, String> tags, Map<String, Double> metrics,
    Lineage lineage, String outputOfJob) {
  public Registration(String source, String description, Map<String, String> tags, Map<String, Double> metrics, Lineage lineage) {
    this(source, description, tags, metrics, lineage, null);
  }

  public static Registration fromDirectory(Path source) {
    return new Registration(source.toString(), null, null, null, null);
  }

  public Registration withLineage(Lineage value) {
    return new Registration(source, description, tags, metrics, value, outputOfJob);
  }
}
