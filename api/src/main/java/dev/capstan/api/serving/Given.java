package dev.capstan.api.serving;

import java.util.Optional;

/** A value a manifest gave and where it gave it (a spec field, or an annotation), for errors at that path. */
record Given<T>(String path, T value) {
  static <T> Optional<Given<T>> at(String path, T value) {
    return value == null ? Optional.empty() : Optional.of(new Given<>(path, value));
  }
}
