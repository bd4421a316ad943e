package dev.capstan.kubernetes.training;

import dev.capstan.api.codec.Manifests;
import dev.capstan.api.training.TrainingJob;
import dev.capstan.api.training.TrainingJobStatus;
import dev.capstan.core.training.TrainingJobStore;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;

/**
 * TrainingJobs as custom resources, for one reconcile pass. A status write goes to the status
 * subresource and into the operator's cache at once, so the next pass plans on what this one
 * recorded even before the watch delivers it.
 *
 * <p>A status write carries the resourceVersion the pass planned on, and a conflict is not
 * retried here: it fails the pass, which runs again on the job as it now is. Re-applying a status
 * computed from an older job over a newer one would let a stale pass (a leader resumed after
 * losing its Lease, say) undo what another pass recorded.
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
    TrainingJob updated = writeStatus(context.getClient(), job, status);
    context.eventSourceRetriever().getControllerEventSource()
        .handleRecentResourceUpdate(ResourceID.fromResource(job), updated, job);
  }

  /**
   * Replaces the job's status through the status subresource (PUT), carrying the resourceVersion it
   * was read at, so a conflict throws: the pass and the scheduling cycle both write it, and neither
   * may overwrite what the other recorded since it read the job. Also how the cycle writes.
   */
  static TrainingJob writeStatus(KubernetesClient client, TrainingJob job, TrainingJobStatus status) {
    TrainingJob desired = new TrainingJob();
    desired.setMetadata(Manifests.copy(job.getMetadata(), ObjectMeta.class));
    desired.setSpec(job.getSpec());
    desired.setStatus(status);
    return client.resource(desired).updateStatus();
  }

  @Override
  public void remove(TrainingJob job) {
    context.getClient().resource(job).delete();
  }
}
