package dev.capstan.core.training;

import dev.capstan.api.training.TrainingJobModel;
import dev.capstan.api.training.TrainingJobStatus;
import dev.capstan.core.queue.AdmissionDecision;
import dev.capstan.core.training.env.ReplicaAddressing;
import java.time.Instant;

/**
 * Everything the planner needs: the job, what was recorded, what is observed, and the time.
 * {@code admission}: what the scheduling cycle decided; {@code admissionRecorded} when it is read
 * from {@code previous} (a cycle elsewhere wrote it, see {@link AdmissionRecord}), so the plan
 * does not write it again.
 */
public record PlanInput(
    TrainingJobModel job,
    TrainingJobStatus previous,
    Observed observed,
    AdmissionDecision admission,
    ReplicaAddressing addressing,
    Instant now,
    boolean deleting,
    boolean admissionRecorded) {

  /** A plan handed the cycle's decision directly (local mode: the cycle runs in the same pass). */
  public PlanInput(TrainingJobModel job, TrainingJobStatus previous, Observed observed, AdmissionDecision admission,
      ReplicaAddressing addressing, Instant now, boolean deleting) {
    this(job, previous, observed, admission, addressing, now, deleting, false);
  }
}
