package dev.capstan.api.serving;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One revision as the controller records it: what it runs ({@code predictor}, the resolved
 * {@code storageUri} and, for a registry reference, {@code modelVersion}), its state, replicas,
 * share of traffic and the last reason it could not become ready.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RevisionStatus {
  /** {@code {service}-predictor-00001}. */
  private String name;

  /** The spec generation that created it. */
  private Long generation;

  /** When it was created (RFC 3339). */
  private String createdAt;

  /** Creating | Ready | Failed | Retired (see RevisionState in core). */
  private String state;

  /** The model source its replicas load, resolved (a registry reference becomes the version's source). */
  private String storageUri;

  /** The registry version a {@code models:/} reference resolved to; absent for other sources. */
  private String modelVersion;

  private Integer desiredReplicas;
  private Integer readyReplicas;
  private Integer trafficPercent;
  private RevisionFailure lastFailure;

  /** What its replicas run, as the predictor said when the revision was created. */
  private RevisionSpec predictor;

  public String getName() {
    return name;
  }

  public void setName(String name) {
    this.name = name;
  }

  public Long getGeneration() {
    return generation;
  }

  public void setGeneration(Long generation) {
    this.generation = generation;
  }

  public String getCreatedAt() {
    return createdAt;
  }

  public void setCreatedAt(String createdAt) {
    this.createdAt = createdAt;
  }

  public String getState() {
    return state;
  }

  public void setState(String state) {
    this.state = state;
  }

  public String getStorageUri() {
    return storageUri;
  }

  public void setStorageUri(String storageUri) {
    this.storageUri = storageUri;
  }

  public String getModelVersion() {
    return modelVersion;
  }

  public void setModelVersion(String modelVersion) {
    this.modelVersion = modelVersion;
  }

  public Integer getDesiredReplicas() {
    return desiredReplicas;
  }

  public void setDesiredReplicas(Integer desiredReplicas) {
    this.desiredReplicas = desiredReplicas;
  }

  public Integer getReadyReplicas() {
    return readyReplicas;
  }

  public void setReadyReplicas(Integer readyReplicas) {
    this.readyReplicas = readyReplicas;
  }

  public Integer getTrafficPercent() {
    return trafficPercent;
  }

  public void setTrafficPercent(Integer trafficPercent) {
    this.trafficPercent = trafficPercent;
  }

  public RevisionFailure getLastFailure() {
    return lastFailure;
  }

  public void setLastFailure(RevisionFailure lastFailure) {
    this.lastFailure = lastFailure;
  }

  public RevisionSpec getPredictor() {
    return predictor;
  }

  public void setPredictor(RevisionSpec predictor) {
    this.predictor = predictor;
  }

  /** Why a revision could not become ready (KServe's {@code modelStatus.lastFailureInfo}). */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public static class RevisionFailure {
    /** A reason word (ModelLoadFailed, CrashLoop, …); decisions read this, never the message. */
    private String reason;
    private String message;
    /** When it was seen (RFC 3339). */
    private String time;

    public RevisionFailure() {}

    public RevisionFailure(String reason, String message, String time) {
      this.reason = reason;
      this.message = message;
      this.time = time;
    }

    public String getReason() {
      return reason;
    }

    public void setReason(String reason) {
      this.reason = reason;
    }

    public String getMessage() {
      return message;
    }

    public void setMessage(String message) {
      this.message = message;
    }

    public String getTime() {
      return time;
    }

    public void setTime(String time) {
      this.time = time;
    }
  }
}
