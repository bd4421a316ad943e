package dev.capstan.api.validation;

import java.util.List;
import java.util.stream.Collectors;

/** A manifest that cannot be accepted; carries every field error found, not only the first. */
public final class InvalidSpecException extends RuntimeException {
  private final List<FieldError> errors;

  public InvalidSpecException(List<FieldError> errors) {
    super(errors.stream().map(FieldError::toString).collect(Collectors.joining("; ")));
    this.errors = List.copyOf(errors);
  }

  public InvalidSpecException(String path, String reason) {
    this(List.of(new FieldError(path, reason)));
  }

  public List<FieldError> errors() {
    return errors;
  }
}
