package dev.capstan.core.training;

import dev.capstan.api.training.TrainingJobModel;
import dev.capstan.api.training.TrainingJobStatus;
import dev.capstan.core.queue.AdmissionDecision;
import dev.capstan.core.training.env.ReplicaAddressing;
import java.time.Instant;

/** Everything the planner needs: the job, what was recorded, what is observed, and the time. */
public record PlanInput(
    TrainingJobModel job,
    TrainingJobStatus previous,
    Observed observed,
    AdmissionDecision admission,
    ReplicaAddressing addressing,
    Instant now,
    boolean deleting) {}
