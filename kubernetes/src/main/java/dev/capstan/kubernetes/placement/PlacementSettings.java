package dev.capstan.kubernetes.placement;

import java.time.Duration;
import java.util.Map;

/**
 * Whether the operator pins GPU jobs' pods to the nodes Capstan's placement chooses
 * ({@code CAPSTAN_GPU_PLACEMENT}, default true), and how long a pinned pod may stay unschedulable
 * before its pin is dropped and kube-scheduler places it ({@code CAPSTAN_GPU_PLACEMENT_GRACE_SECONDS},
 * default 120).
 */
public record PlacementSettings(boolean enabled, Duration unschedulableGrace) {
  /** The longest grace accepted: a day. */
  public static final Duration MAX_GRACE = Duration.ofDays(1);
  public static final Duration DEFAULT_GRACE = Duration.ofSeconds(120);

  public PlacementSettings {
    if (unschedulableGrace.isNegative() || unschedulableGrace.compareTo(MAX_GRACE) > 0) {
      throw new IllegalArgumentException("the unschedulable grace must be 0.." + MAX_GRACE.toSeconds() + " s, not "
          + unschedulableGrace.toSeconds());
    }
  }

  public static PlacementSettings defaults() {
    return new PlacementSettings(true, DEFAULT_GRACE);
  }

  public static PlacementSettings fromEnvironment(Map<String, String> env) {
    String on = env.getOrDefault("CAPSTAN_GPU_PLACEMENT", "true").trim();
    if (!on.equalsIgnoreCase("true") && !on.equalsIgnoreCase("false")) {
      throw new IllegalArgumentException("CAPSTAN_GPU_PLACEMENT: expected true or false, got '" + on + "'");
    }
    String grace = env.getOrDefault("CAPSTAN_GPU_PLACEMENT_GRACE_SECONDS", Long.toString(DEFAULT_GRACE.toSeconds())).trim();
    long seconds;
    try {
      seconds = Long.parseLong(grace);
    } catch (NumberFormatException e) {
      seconds = -1;
    }
    if (seconds < 0 || seconds > MAX_GRACE.toSeconds()) {
      throw new IllegalArgumentException("CAPSTAN_GPU_PLACEMENT_GRACE_SECONDS: expected whole seconds from 0 to "
          + MAX_GRACE.toSeconds() + ", got '" + grace + "'");
    }
    return new PlacementSettings(Boolean.parseBoolean(on), Duration.ofSeconds(seconds));
  }
}
