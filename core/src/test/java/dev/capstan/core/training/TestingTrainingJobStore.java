package dev.capstan.core.training;

import dev.capstan.api.codec.Manifests;
import dev.capstan.api.training.TrainingJob;
import dev.capstan.api.training.TrainingJobStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** TrainingJobs in memory, for tests; counts status writes so tests can see needless ones. */
final class TestingTrainingJobStore implements TrainingJobStore {
  private final Map<String, TrainingJob> jobs = new LinkedHashMap<>();
  private int statusWrites;

  TrainingJob put(TrainingJob job) {
    jobs.put(job.getMetadata().getName(), job);
    return job;
  }

  TrainingJob get(String name) {
    return jobs.get(name);
  }

  int statusWrites() {
    return statusWrites;
  }

  @Override
  public List<TrainingJob> list() {
    return new ArrayList<>(jobs.values().stream().map(j -> Manifests.copy(j, TrainingJob.class)).toList());
  }

  @Override
  public void updateStatus(TrainingJob job, TrainingJobStatus status) {
    statusWrites++;
    jobs.get(job.getMetadata().getName()).setStatus(Manifests.copy(status, TrainingJobStatus.class));
  }

  @Override
  public void remove(TrainingJob job) {
    jobs.remove(job.getMetadata().getName());
  }
}
