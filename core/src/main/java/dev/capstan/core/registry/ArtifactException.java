package dev.capstan.core.registry;

/** An artifact store refused or failed an operation; the reason says which, the message says what and where. */
public final class ArtifactException extends RuntimeException {
  private final Reason reason;

  public ArtifactException(Reason reason, String message) {
    this(reason, message, null);
  }

  public ArtifactException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }

  /** Why an operation failed. */
  public enum Reason {
    /** A key or file path that is absolute, escapes its parent, or holds a character a store refuses. */
    INVALID_PATH,
    /** More files or more bytes than the store's limits allow. */
    TOO_LARGE,
    /** The artifact, one of its files or the bucket does not exist. */
    NOT_FOUND,
    /** Something is already stored under the key; a put never overwrites. */
    ALREADY_EXISTS,
    /** A stored file is shorter or longer than its manifest says. */
    TRUNCATED,
    /** A stored file's bytes do not hash to the sha256 its manifest says. */
    CHECKSUM_MISMATCH,
    /** A source file changed size while it was being stored. */
    SOURCE_CHANGED,
    /** The store refused the credentials or the permission. */
    ACCESS_DENIED,
    /** The store could not be reached or failed to read or write. */
    UNAVAILABLE
  }
}
