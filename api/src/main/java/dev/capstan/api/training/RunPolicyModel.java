package dev.capstan.api.training;

import java.time.Duration;
import java.util.Optional;

/** Validated run policy with defaults applied. */
public record RunPolicyModel(
    int backoffLimit,
    Optional<Duration> activeDeadline,
    Optional<Duration> ttlAfterFinished,
    CleanPodPolicy cleanPodPolicy,
    boolean suspend,
    RestartScope restartScope) {

  /** Kubeflow's default backoff limit is unbounded; Capstan stops a crash loop after 6 restarts. */
  public static final int DEFAULT_BACKOFF_LIMIT = 6;
}
