package dev.capstan.local.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.codec.Manifests;
import dev.capstan.api.training.TrainingJob;
import dev.capstan.api.training.TrainingJobStatus;
import dev.capstan.core.training.TrainingJobStore;
import java.util.List;

/** TrainingJobs kept in the embedded store, as the core controller's port sees them. */
public final class StoredTrainingJobs implements TrainingJobStore {
  private final FileResourceStore store;

  public StoredTrainingJobs(FileResourceStore store) {
    this.store = store;
  }

  @Override
  public List<TrainingJob> list() {
    return store.list(TrainingJob.PLURAL, null).stream().map(StoredTrainingJobs::typed).toList();
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
