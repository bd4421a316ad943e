package dev.capstan.core.training;

import dev.capstan.api.training.TrainingJob;
import dev.capstan.api.training.TrainingJobStatus;
import java.util.List;

/** Port: where TrainingJobs live (an embedded store locally, the API server in a cluster). */
public interface TrainingJobStore {
  List<TrainingJob> list();

  /** Records a new status; called only when it changed. */
  void updateStatus(TrainingJob job, TrainingJobStatus status);

  /** Removes the job for good (after deletion finished or its TTL passed). */
  void remove(TrainingJob job);
}
