package dev.capstan.api.registry;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Observed state of a Model, written only by the registry. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ModelStatus {
  /** The highest version number ever assigned to this model (deleted ones included). */
  private Long latestVersion;

  public Long getLatestVersion() {
    return latestVersion;
  }

  public void setLatestVersion(Long latestVersion) {
    this.latestVersion = latestVersion;
  }
}
