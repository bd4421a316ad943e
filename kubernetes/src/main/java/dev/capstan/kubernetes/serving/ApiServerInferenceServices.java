package dev.capstan.kubernetes.serving;

import dev.capstan.api.codec.Manifests;
import dev.capstan.api.serving.InferenceService;
import dev.capstan.api.serving.InferenceServiceStatus;
import dev.capstan.core.serving.InferenceServiceStore;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.List;

/**
 * InferenceServices as custom resources, for one reconcile pass. A status write goes to the status
 * subresource, carrying the resourceVersion the pass planned on (a conflict fails the pass, which
 * runs again on the service as it now is), and into the operator's cache at once.
 */
final class ApiServerInferenceServices implements InferenceServiceStore {
  private final Context<InferenceService> context;

  ApiServerInferenceServices(Context<InferenceService> context) {
    this.context = context;
  }

  @Override
  public List<InferenceService> list() {
    return context.getPrimaryCache().list().toList();
  }

  @Override
  public void updateStatus(InferenceService isvc, InferenceServiceStatus status) {
    InferenceService desired = new InferenceService();
    desired.setMetadata(Manifests.copy(isvc.getMetadata(), ObjectMeta.class));
    desired.setSpec(isvc.getSpec());
    desired.setStatus(status);
    InferenceService updated = context.getClient().resource(desired).patchStatus();
    context.eventSourceRetriever().getControllerEventSource()
        .handleRecentResourceUpdate(ResourceID.fromResource(isvc), updated, isvc);
  }

  @Override
  public void remove(InferenceService isvc) {
    context.getClient().resource(isvc).delete();
  }
}
