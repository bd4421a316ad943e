package dev.capstan.core.training;

import dev.capstan.api.training.TrainingJob;
import dev.capstan.api.training.TrainingJobModel;
import dev.capstan.core.training.env.ReplicaAddressing;
import java.util.List;

/**
 * Port: where replicas run (OS processes locally, pods in a cluster).
 *
 * <p>Contract: after {@code Start} of attempt n returns, {@code observe} never again reports that
 * replica with an attempt below n (it may report it Pending until it runs). Both actions are
 * idempotent, so a pass interrupted half way can simply be repeated.
 */
public interface ReplicaBackend {
  /** Reads the replicas of a job and the latest metrics they printed. Never changes anything. */
  Observed observe(TrainingJob job);

  /** How replicas of this job reach each other on this backend. */
  ReplicaAddressing addressing(TrainingJobModel job);

  void apply(TrainingJob job, List<ReplicaAction> actions);
}
