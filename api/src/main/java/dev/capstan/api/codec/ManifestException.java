package dev.capstan.api.codec;

/** A manifest that cannot be read: YAML/JSON syntax (with line and column) or an unknown kind. */
public final class ManifestException extends RuntimeException {
  public ManifestException(String message) {
    super(message);
  }
}
