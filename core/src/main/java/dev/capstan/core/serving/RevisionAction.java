package dev.capstan.core.serving;

import java.util.Objects;

/** A change the plan asks a backend to make to one revision. Both are idempotent. */
public sealed interface RevisionAction {
  RevisionKey revision();

  /**
   * Run exactly {@code replicas} replicas of this revision (0 keeps the revision, with no replica
   * running: it can come back quickly); the template says what each one runs.
   */
  record Scale(RevisionTemplate template, int replicas) implements RevisionAction {
    public Scale {
      Objects.requireNonNull(template, "template");
      if (replicas < 0) {
        throw new IllegalArgumentException("replicas must not be negative: " + replicas);
      }
    }

    @Override
    public RevisionKey revision() {
      return template.key();
    }
  }

  /** Stop every replica of the revision (drained first) and forget it and what it holds (its model copy). */
  record Remove(RevisionKey revision, String why) implements RevisionAction {
    public Remove {
      Objects.requireNonNull(revision, "revision");
      Objects.requireNonNull(why, "why");
    }
  }
}
