package dev.capstan.api.training;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/** Counts for one replica group. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ReplicaStatus {
  private int active;
  private int succeeded;
  private int failed;
  private int restarts;

  public ReplicaStatus() {}

  public ReplicaStatus(int active, int succeeded, int failed, int restarts) {
    this.active = active;
    this.succeeded = succeeded;
    this.failed = failed;
    this.restarts = restarts;
  }

  public int getActive() {
    return active;
  }

  public void setActive(int active) {
    this.active = active;
  }

  public int getSucceeded() {
    return succeeded;
  }

  public void setSucceeded(int succeeded) {
    this.succeeded = succeeded;
  }

  public int getFailed() {
    return failed;
  }

  public void setFailed(int failed) {
    this.failed = failed;
  }

  public int getRestarts() {
    return restarts;
  }

  public void setRestarts(int restarts) {
    this.restarts = restarts;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ReplicaStatus r
        && active == r.active
        && succeeded == r.succeeded
        && failed == r.failed
        && restarts == r.restarts;
  }

  @Override
  public int hashCode() {
    return Objects.hash(active, succeeded, failed, restarts);
  }
}
