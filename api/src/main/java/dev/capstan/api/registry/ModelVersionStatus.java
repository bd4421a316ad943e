package dev.capstan.api.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;

/**
 * Observed state of a ModelVersion, written only by the registry: its registration state
 * (PENDING_REGISTRATION, READY, FAILED_REGISTRATION; see ModelVersionState in core) and, once
 * READY, where the artifact store keeps its files and the checksum of each.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ModelVersionStatus {
  private String state;
  private String message;
  private String storageUri;
  private String format;
  private List<VersionFile> files = new ArrayList<>();
  private String registeredTime;

  public String getState() {
    return state;
  }

  public void setState(String state) {
    this.state = state;
  }

  public String getMessage() {
    return message;
  }

  public void setMessage(String message) {
    this.message = message;
  }

  public String getStorageUri() {
    return storageUri;
  }

  public void setStorageUri(String storageUri) {
    this.storageUri = storageUri;
  }

  public String getFormat() {
    return format;
  }

  public void setFormat(String format) {
    this.format = format;
  }

  public List<VersionFile> getFiles() {
    return files;
  }

  public void setFiles(List<VersionFile> files) {
    this.files = files;
  }

  public String getRegisteredTime() {
    return registeredTime;
  }

  public void setRegisteredTime(String registeredTime) {
    this.registeredTime = registeredTime;
  }
}
