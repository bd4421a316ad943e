package dev.capstan.core.serving;

import java.time.Instant;
import java.util.Objects;

/** Why a revision cannot become ready, as its backend saw it, and when. */
public record RevisionFailure(RevisionFailureReason reason, String message, Instant at) {
  public RevisionFailure {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(at, "at");
  }
}
