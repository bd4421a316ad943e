package dev.capstan.core.registry;

import dev.capstan.api.registry.RegistryLimits;

/**
 * Version numbers per model: 1, 2, 3… from a high-water mark that only grows and is kept even
 * when versions are deleted, so a number once given is never given again.
 */
public final class VersionNumbering {
  private VersionNumbering() {}

  /** The number after {@code highWater} (0 when the model has had no version). */
  public static long next(long highWater) {
    if (highWater < 0) {
      throw new IllegalArgumentException("a high-water mark is never negative, got " + highWater);
    }
    if (highWater >= RegistryLimits.MAX_VERSION) {
      throw new RegistryException(RegistryException.Reason.WRONG_STATE,
          "the model has used every version number up to " + RegistryLimits.MAX_VERSION);
    }
    return highWater + 1;
  }

  /** The mark after a version was assigned: never lower than it was. */
  public static long raise(long highWater, long assigned) {
    return Math.max(highWater, assigned);
  }
}
