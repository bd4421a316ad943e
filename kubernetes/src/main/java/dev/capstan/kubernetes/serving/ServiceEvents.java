package dev.capstan.kubernetes.serving;

import dev.capstan.api.serving.InferenceService;
import dev.capstan.core.ports.EventSink;
import dev.capstan.kubernetes.training.KubernetesEvents;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Optional;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Core's serving events as Kubernetes Events on the InferenceService they are about, so
 * {@code kubectl describe isvc} shows them. The controller names the service as
 * {@code InferenceService namespace/name}; the service itself (for its uid) comes from the
 * operator's cache.
 */
final class ServiceEvents implements EventSink {
  private static final Logger LOG = LoggerFactory.getLogger(ServiceEvents.class);
  private static final String PREFIX = InferenceService.KIND + " ";

  private final KubernetesClient client;
  private final BiFunction<String, String, Optional<InferenceService>> cached;

  /** {@code cached}: the InferenceService of a namespace and name, from the operator's cache. */
  ServiceEvents(KubernetesClient client, BiFunction<String, String, Optional<InferenceService>> cached) {
    this.client = client;
    this.cached = cached;
  }

  @Override
  public void record(String object, EventType type, String reason, String message) {
    int slash = object.indexOf('/');
    if (!object.startsWith(PREFIX) || slash < 0) {
      LOG.info("{}: {} {}", object, reason, message);
      return;
    }
    String ns = object.substring(PREFIX.length(), slash);
    String name = object.substring(slash + 1);
    String uid = cached.apply(ns, name).map(s -> s.getMetadata().getUid()).orElse(null);
    KubernetesEvents.post(client, new ObjectReferenceBuilder().withApiVersion(InferenceService.API_VERSION)
        .withKind(InferenceService.KIND).withNamespace(ns).withName(name).withUid(uid).build(), type, reason, message);
  }
}
