package dev.capstan.kubernetes.kubeflow;

import dev.capstan.api.kubeflow.KubeflowKind;
import dev.capstan.api.training.TrainingJob;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * The TrainingJob a stored Kubeflow job runs as, answering with the Kubeflow job's own apiVersion
 * and kind, so that the owner references of its pods and services and its events name the object
 * that exists on the API server. (A plain TrainingJob's apiVersion and kind are fixed by its class.)
 */
// CustomResource's constructor requires these on the class itself; the getters below are what counts.
@Group(TrainingJob.GROUP)
@Version(TrainingJob.VERSION)
final class KubeflowTrainingJob extends TrainingJob {
  private final KubeflowKind source;

  KubeflowTrainingJob(KubeflowKind source) {
    this.source = source;
  }

  @Override
  public String getApiVersion() {
    return KubeflowKind.API_VERSION;
  }

  @Override
  public String getKind() {
    return source.kind();
  }
}
