package dev.capstan.local.mlflow;

import java.util.List;
import java.util.Map;

/**
 * A model version as the MLflow REST layer shows it. {@code status} is one of MLflow's
 * {@code PENDING_REGISTRATION}, {@code FAILED_REGISTRATION}, {@code READY}; timestamps are
 * milliseconds since the epoch; {@code runId} is the job that produced it, when known.
 */
public record ModelVersion(String name, long version, long creationTimestamp, long lastUpdatedTimestamp,
    String description, String source, String runId, Status status, String statusMessage,
    Map<String, String> tags, List<String> aliases) {
  /** MLflow's {@code ModelVersionStatus}. */
  public enum Status { PENDING_REGISTRATION, FAILED_REGISTRATION, READY }

  public ModelVersion {
    tags = Map.copyOf(tags);
    aliases = List.copyOf(aliases);
  }
}
