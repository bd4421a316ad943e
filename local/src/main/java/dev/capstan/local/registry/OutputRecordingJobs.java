package dev.capstan.local.registry;

import dev.capstan.api.training.TrainingJob;
import dev.capstan.api.training.TrainingJobStatus;
import dev.capstan.core.training.TrainingJobState;
import dev.capstan.core.training.TrainingJobStore;
import java.util.List;

/**
 * The job store as local mode gives it to the training controller: when a job with
 * {@code spec.output} moves to Succeeded, its output is recorded for registration (durably, see
 * {@link JobOutputRegistrations}) before the status is stored, and registered soon after.
 */
public record OutputRecordingJobs(TrainingJobStore jobs, JobOutputRegistrations registrations) implements TrainingJobStore {
  @Override
  public List<TrainingJob> list() {
    return jobs.list();
  }

  @Override
  public void updateStatus(TrainingJob job, TrainingJobStatus status) {
    boolean succeedsNow = job.getSpec() != null && job.getSpec().getOutput() != null
        && isSucceeded(status) && !isSucceeded(job.getStatus());
    if (succeedsNow) {
      registrations.succeeded(job, status);
    }
    jobs.updateStatus(job, status);
    if (succeedsNow) {
      registrations.drainSoon();
    }
  }

  @Override
  public void remove(TrainingJob job) {
    jobs.remove(job);
  }

  private static boolean isSucceeded(TrainingJobStatus status) {
    return status != null && TrainingJobState.Succeeded.name().equals(status.getState());
  }
}
