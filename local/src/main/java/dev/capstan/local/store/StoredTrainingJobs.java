package dev.capstan.local.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.codec.Manifests;
import dev.capstan.api.training.TrainingJob;
import dev.capstan.api.training.TrainingJobStatus;
import dev.capstan.core.training.TrainingJobStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** TrainingJobs kept in the embedded store, as the core controller's port sees them. */
public final class StoredTrainingJobs implements TrainingJobStore {
  private final FileResourceStore store;

  public StoredTrainingJobs(FileResourceStore store) {
    this.store = store;
  }

  /**
   * Every stored job that reads as a TrainingJob. One that does not (the store checks each file at
   * start, so only a bug gets here) is logged with its name and left out, so that it cannot stop
   * the control loop from reaching the others.
   */
  @Override
  public List<TrainingJob> list() {
    List<TrainingJob> jobs = new ArrayList<>();
    for (ObjectNode node : store.list(TrainingJob.PLURAL, null)) {
      try {
        jobs.add(typed(node));
      } catch (IllegalArgumentException e) {
        JsonNode meta = node.path("metadata");
        System.err.println(Instant.now() + " " + TrainingJob.KIND + " " + meta.path("namespace").asText() + "/"
            + meta.path("name").asText() + " is skipped: it does not read as a TrainingJob (" + e.getMessage().split("\n")[0] + ")");
      }
    }
    return jobs;
  }

  @Override
  public void updateStatus(TrainingJob job, TrainingJobStatus status) {
    store.updateStatus(TrainingJob.PLURAL, job.getMetadata().getNamespace(), job.getMetadata().getName(),
        Manifests.json().valueToTree(status));
  }

  @Override
  public void remove(TrainingJob job) {
    store.remove(TrainingJob.PLURAL, job.getMetadata().getNamespace(), job.getMetadata().getName());
  }

  static TrainingJob typed(ObjectNode node) {
    return Manifests.json().convertValue(node, TrainingJob.class);
  }
}
