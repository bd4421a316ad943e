package dev.capstan.core.registry;

/** A registry request that cannot be done; the reason decides the answer (404, 409, 422). */
public final class RegistryException extends RuntimeException {
  private final Reason reason;

  public RegistryException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  /** Why a registry request was refused. */
  public enum Reason {
    /** A value the request gives cannot be used (a source that is not a directory). */
    INVALID,
    /** The model, version or alias does not exist. */
    NOT_FOUND,
    /** It already exists. */
    ALREADY_EXISTS,
    /** The object changed since the caller read it (a stale resourceVersion). */
    STALE,
    /** Something else depends on it (an alias points at the version). */
    IN_USE,
    /** The request does not fit the object's state (a READY version's files, a FAILED version as an alias target). */
    WRONG_STATE
  }
}
