package dev.capstan.kubernetes.training;

import dev.capstan.api.training.TrainingJob;
import dev.capstan.api.training.TrainingJobStatus;
import dev.capstan.core.training.TrainingJobStore;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import java.util.List;

/**
 * TrainingJobs as custom resources, for one reconcile pass. A status write goes to the status
 * subresource and into the operator's cache at once, so the next pass plans on what this one
 * recorded even before the watch delivers it.
 */
final class ApiServerTrainingJobs implements TrainingJobStore {
  private final Context<TrainingJob> context;

  ApiServerTrainingJobs(Context<TrainingJob> context) {
    this.context = context;
  }

  @Override
  public List<TrainingJob> list() {
    return context.getPrimaryCache().list().toList();
  }

  @Override
  public void updateStatus(TrainingJob job, TrainingJobStatus status) {
    PrimaryUpdateAndCacheUtils.patchStatusAndCacheResource(job, context, j -> {
      j.setStatus(status);
      return j;
    });
  }

  @Override
  public void remove(TrainingJob job) {
    context.getClient().resource(job).delete();
  }
}
