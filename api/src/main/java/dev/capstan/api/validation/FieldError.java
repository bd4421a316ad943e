package dev.capstan.api.validation;

/** One problem with a manifest: the field path (e.g. {@code spec.replicas.worker.count}) and why. */
public record FieldError(String path, String reason) {
  @Override
  public String toString() {
    return path + ": " + reason;
  }
}
