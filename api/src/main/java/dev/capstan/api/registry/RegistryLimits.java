package dev.capstan.api.registry;

/**
 * Bounds on what a user sizes in a Model or ModelVersion, so that one request cannot exhaust the
 * control plane. A value past a bound is refused with its field path.
 */
public final class RegistryLimits {
  /** Model names are DNS labels this long at most, so that {@code <model>-<version>} stays a label. */
  public static final int MODEL_NAME = 50;
  /** Version numbers have at most this many digits (the rest of a 63-character label). */
  public static final long MAX_VERSION = 999_999_999_999L;
  public static final int DESCRIPTION = 5000;
  public static final int TAGS = 50;
  public static final int TAG_KEY = 250;
  public static final int TAG_VALUE = 5000;
  public static final int ALIASES = 20;
  public static final int ALIAS_NAME = 63;
  public static final int METRICS = 100;
  public static final int METRIC_NAME = 250;
  public static final int SOURCE = 4096;
  /** Files in one version. */
  public static final int FILES = 10_000;

  private RegistryLimits() {}
}
