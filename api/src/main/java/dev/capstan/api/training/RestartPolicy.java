package dev.capstan.api.training;

/** When a replica that exited is started again. */
public enum RestartPolicy {
  /** Restart after any exit, unless the job has met its success policy. */
  Always,
  /** Restart after a non-zero exit. */
  OnFailure,
  /** Never restart; a failure fails the job. */
  Never,
  /** Exit codes 1–127 are permanent failures; 128 and above (signals) are retried. */
  ExitCode;

  /** Whether an exit with this code should be retried under this policy. */
  public boolean retries(int exitCode) {
    return switch (this) {
      case Always -> true;
      case OnFailure -> exitCode != 0;
      case Never -> false;
      case ExitCode -> exitCode >= 128;
    };
  }
}
