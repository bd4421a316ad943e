package dev.capstan.core.ports;

import java.time.Instant;

/** The time, as controllers see it; tests pass a fixed or stepped one. */
@FunctionalInterface
public interface Clock {
  Instant now();

  static Clock system() {
    return Instant::now;
  }
}
