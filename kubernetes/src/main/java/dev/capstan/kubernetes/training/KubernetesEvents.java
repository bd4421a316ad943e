package dev.capstan.kubernetes.training;

import dev.capstan.api.training.TrainingJob;
import dev.capstan.core.ports.EventSink;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Core's events as Kubernetes Events on the job (a TrainingJob, or the Kubeflow job it was
 * converted from), so {@code kubectl describe} shows them; {@link #post} creates one about any object.
 */
public final class KubernetesEvents implements EventSink {
  private static final Logger LOG = LoggerFactory.getLogger(KubernetesEvents.class);
  static final String COMPONENT = "capstan-operator";

  private final KubernetesClient client;
  private final TrainingJob job;

  public KubernetesEvents(KubernetesClient client, TrainingJob job) {
    this.client = client;
    this.job = job;
  }

  @Override
  public void record(String object, EventType type, String reason, String message) {
    var owner = ReplicaObjects.owner(job);
    post(client, new ObjectReferenceBuilder().withApiVersion(owner.getApiVersion()).withKind(owner.getKind())
        .withNamespace(PodReplicaBackend.namespace(job)).withName(job.getMetadata().getName())
        .withUid(job.getMetadata().getUid()).build(), type, reason, message);
  }

  /**
   * Creates one Event about {@code involved} (its namespace, name, apiVersion, kind and uid), from
   * the operator; a failure to create it is logged, never thrown.
   */
  public static void post(KubernetesClient client, ObjectReference involved, EventType type, String reason, String message) {
    String ns = involved.getNamespace();
    String now = Instant.now().toString();
    var event = new EventBuilder()
        .withNewMetadata().withNamespace(ns)
        .withName(involved.getName() + "." + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT))
        .endMetadata()
        .withInvolvedObject(involved)
        .withType(type.name()).withReason(reason).withMessage(message)
        .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
        .withNewSource().withComponent(COMPONENT).endSource()
        .build();
    try {
      client.v1().events().inNamespace(ns).resource(event).create();
    } catch (KubernetesClientException e) {
      LOG.warn("{} {}/{}: could not record event {}: {}", involved.getKind(), ns, involved.getName(), reason, e.getMessage());
    }
  }
}
