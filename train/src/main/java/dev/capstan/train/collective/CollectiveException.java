package dev.capstan.train.collective;

/** A collective operation or rendezvous failed: a peer died, stalled, never joined or misbehaved. */
public final class CollectiveException extends RuntimeException {
  public CollectiveException(String message) {
    super(message);
  }

  public CollectiveException(String message, Throwable cause) {
    super(message, cause);
  }
}
