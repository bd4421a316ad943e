package dev.capstan.kubernetes.serving;

import dev.capstan.api.codec.Manifests;
import dev.capstan.api.serving.InferenceService;
import dev.capstan.api.serving.InferenceServiceStatus;
import dev.capstan.core.serving.InferenceServiceStore;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.controller.ControllerEventSource;
import java.util.List;
import java.util.Optional;

/**
 * InferenceServices as custom resources, read from the operator's cache. A status write replaces
 * the status subresource whole (its lists, revisions and traffic, are replaced, never merged),
 * carrying the resourceVersion the pass planned on: a conflict fails the pass, which runs again on
 * the service as it now is. The written service goes into the operator's cache at once, so the
 * next pass plans on what this one recorded even before the watch delivers it.
 *
 * <p>It lives as long as the operator (the controller keeps each revision's autoscaler across
 * passes); the first pass hands it the controller's event source, which that cache update needs.
 */
final class ApiServerInferenceServices implements InferenceServiceStore {
  private final KubernetesClient client;
  private final IndexerResourceCache<InferenceService> cache;
  private volatile ControllerEventSource<InferenceService> written;

  ApiServerInferenceServices(KubernetesClient client, IndexerResourceCache<InferenceService> cache) {
    this.client = client;
    this.cache = cache;
  }

  void bind(Context<InferenceService> context) {
    if (written == null) {
      written = context.eventSourceRetriever().getControllerEventSource();
    }
  }

  Optional<InferenceService> cached(String namespace, String name) {
    return cache.get(new ResourceID(name, namespace));
  }

  @Override
  public List<InferenceService> list() {
    return cache.list().toList();
  }

  @Override
  public void updateStatus(InferenceService isvc, InferenceServiceStatus status) {
    InferenceService desired = new InferenceService();
    desired.setMetadata(Manifests.copy(isvc.getMetadata(), ObjectMeta.class));
    desired.setSpec(isvc.getSpec());
    desired.setStatus(status);
    InferenceService updated = client.resource(desired).updateStatus();
    ControllerEventSource<InferenceService> events = written;
    if (events != null) {
      events.handleRecentResourceUpdate(ResourceID.fromResource(isvc), updated, isvc);
    }
  }

  @Override
  public void remove(InferenceService isvc) {
    client.resource(isvc).delete();
  }
}
