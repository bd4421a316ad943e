package dev.capstan.core.registry;

import java.util.Set;

/**
 * The lifecycle of a ModelVersion (see docs/registry.md). A version is READY only after the
 * artifact store confirmed every file and its sha256; until then it is PENDING_REGISTRATION, and a
 * registration that cannot finish ends in FAILED_REGISTRATION with the reason.
 */
public enum ModelVersionState {
  PENDING_REGISTRATION("a number is assigned; its files are being stored and checked"),
  READY("every file is stored with its sha256; only description and tags may change (terminal)"),
  FAILED_REGISTRATION("the files could not be stored; the message says why (terminal)");

  private final String description;

  ModelVersionState(String description) {
    this.description = description;
  }

  public String description() {
    return description;
  }

  public boolean isTerminal() {
    return this != PENDING_REGISTRATION;
  }

  /** Whether a version in this state may move to {@code next}: only out of PENDING_REGISTRATION. */
  public boolean canMoveTo(ModelVersionState next) {
    return this == PENDING_REGISTRATION && Set.of(READY, FAILED_REGISTRATION).contains(next);
  }

  /** The next state, or an IllegalStateException naming both when the move is not allowed. */
  public ModelVersionState moveTo(ModelVersionState next) {
    if (!canMoveTo(next)) {
      throw new IllegalStateException("a version cannot move from " + this + " to " + next);
    }
    return next;
  }

  /** Reads a stored state; a missing one is PENDING_REGISTRATION, an unknown one is refused. */
  public static ModelVersionState parse(String value) {
    if (value == null) {
      return PENDING_REGISTRATION;
    }
    return valueOf(value);
  }
}
