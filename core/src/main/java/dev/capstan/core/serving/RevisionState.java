package dev.capstan.core.serving;

import java.util.Optional;

/**
 * The lifecycle of one revision. Transitions are pure ({@link #next}); docs/serving.md draws them.
 * Only a Ready revision takes traffic; a Ready revision at zero replicas still does (the gateway's
 * activator holds its requests and asks for a replica).
 */
public enum RevisionState {
  Creating("created; its first replica is starting and has not been ready yet"),
  Ready("a replica has been ready: it may take traffic, at zero replicas too"),
  Failed("it cannot become ready (the model failed to fetch or load, a replica kept crashing); it runs no replica"),
  Retired("superseded and taking no traffic; kept at zero replicas until garbage-collected");

  private final String description;

  RevisionState(String description) {
    this.description = description;
  }

  public String description() {
    return description;
  }

  /**
   * The state after what a backend observed: a ready replica makes a starting or failed revision
   * Ready; a failure makes a starting one Failed. A Ready revision that later fails stays Ready (its
   * traffic stays; the failure is recorded). Retired is final.
   */
  public RevisionState observe(int readyReplicas, Optional<RevisionFailure> failure) {
    return switch (this) {
      case Creating -> readyReplicas > 0 ? Ready : failure.isPresent() ? Failed : Creating;
      case Failed -> readyReplicas > 0 ? Ready : Failed;
      case Ready, Retired -> this;
    };
  }

  /** The state once traffic is decided: a revision that is no longer the latest and takes no traffic retires. */
  public RevisionState settle(boolean latestCreated, boolean keepsTraffic) {
    return latestCreated || keepsTraffic ? this : Retired;
  }

  static RevisionState parse(String value) {
    if (value == null) {
      return Creating;
    }
    try {
      return valueOf(value);
    } catch (IllegalArgumentException e) {
      return Creating;
    }
  }
}
