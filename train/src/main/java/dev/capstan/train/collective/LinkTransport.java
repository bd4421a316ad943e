package dev.capstan.train.collective;

import java.util.Locale;

/**
 * How ring links travel. {@code AUTO}: through shared memory when both ends of a link share a host
 * and its {@code /dev/shm}, else TCP. {@code TCP}: always TCP. Chosen with
 * {@code CAPSTAN_COLLECTIVE_TRANSPORT}.
 */
public enum LinkTransport {
  AUTO,
  TCP;

  public static final String VARIABLE = "CAPSTAN_COLLECTIVE_TRANSPORT";

  static LinkTransport parse(String value) {
    if (value == null || value.isBlank()) {
      return AUTO;
    }
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(VARIABLE + " must be auto or tcp, got '" + value + "'");
    }
  }
}
