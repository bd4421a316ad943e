package dev.capstan.core.serving;

/** Why a revision cannot become ready. Decisions read these, never the message text. */
public enum RevisionFailureReason {
  /** The model source could not be fetched (missing file, HTTP error, refused by the fetcher's checks). */
  ModelFetchFailed,
  /** The model server could not open the model (wrong format, corrupt file). */
  ModelLoadFailed,
  /** A replica keeps exiting or failing its readiness check. */
  CrashLoop,
  /** A replica could not be started at all (no program, no capacity on this machine, image pull). */
  StartFailed,
  /** The model source could not be resolved (an unknown registry model, version or alias). */
  SourceUnresolved
}
