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
    RestartScope restartScope,
    Duration preemptionGracePeriod) {

  /** Kubeflow's default backoff limit is unbounded; Capstan stops a crash loop after 6 restarts. */
  public static final int DEFAULT_BACKOFF_LIMIT = 6;

  /** Seconds a preempted job gets to checkpoint and exit when it names none (Kubernetes' pod grace is 30; a checkpoint needs more). */
  public static final int DEFAULT_PREEMPTION_GRACE_SECONDS = 60;

  /** At most an hour: past it, a preemption holds the preemptor's capacity hostage. */
  public static final int MAX_PREEMPTION_GRACE_SECONDS = 3600;
}
