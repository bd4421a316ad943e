package dev.capstan.kubernetes.kubeflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.capstan.api.codec.Manifests;
import dev.capstan.api.kubeflow.KubeflowKind;
import dev.capstan.api.training.Framework;
import dev.capstan.api.training.TrainingJob;
import dev.capstan.api.training.TrainingJobStatus;
import dev.capstan.core.ports.Clock;
import dev.capstan.core.training.TrainingJobStore;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Core's TrainingJobStore over the Kubeflow jobs of one kind, for one reconcile pass on {@code
 * resource}: a status write goes to the job's status subresource in Kubeflow's shape
 * ({@link KubeflowStatus}) and into the operator's cache at once. As for TrainingJobs, a conflict
 * is not retried here: it fails the pass, which runs again on the job as it now is.
 */
final class KubeflowJobStore<R extends KubeflowJobResource> implements TrainingJobStore {
  private final KubernetesClient client;
  private final Supplier<List<TrainingJob>> jobs;
  private final R resource;
  private final Clock clock;
  private final Consumer<R> written;

  KubeflowJobStore(Context<R> context, R resource, Clock clock) {
    this(context.getClient(), () -> KubeflowJobReconciler.converted(context.getPrimaryCache().list()), resource, clock,
        updated -> context.eventSourceRetriever().getControllerEventSource()
            .handleRecentResourceUpdate(ResourceID.fromResource(resource), updated, resource));
  }

  /** {@code written}: told of each status written (a pass puts it into its cache at once). */
  KubeflowJobStore(KubernetesClient client, Supplier<List<TrainingJob>> jobs, R resource, Clock clock, Consumer<R> written) {
    this.client = client;
    this.jobs = jobs;
    this.resource = resource;
    this.clock = clock;
    this.written = written;
  }

  /** The jobs of this kind that convert; one that does not holds no capacity. */
  @Override
  public List<TrainingJob> list() {
    return jobs.get();
  }

  @Override
  public void updateStatus(TrainingJob job, TrainingJobStatus status) {
    KubeflowKind kind = resource.kubeflowKind();
    String operatorName = Framework.fromWire(kind.framework()).map(Framework::operatorName).orElse("");
    writeStatus(Manifests.json().valueToTree(
        KubeflowStatus.of(kind, resource.getMetadata().getName(), replicaTypes(), operatorName, status, clock.now().toString())));
  }

  @SuppressWarnings("unchecked")
  private void writeStatus(JsonNode status) {
    R desired = (R) Manifests.json().convertValue(resource, resource.getClass());
    desired.setAdditionalProperty("status", status);
    // The whole status replaced (PUT on the status subresource, with the resourceVersion the pass
    // planned on): a patch would merge into what is there, keeping fields the new status omits.
    R updated = client.resources((Class<R>) resource.getClass())
        .inNamespace(resource.getMetadata().getNamespace()).resource(desired).updateStatus();
    written.accept(updated);
  }

  @Override
  @SuppressWarnings("unchecked")
  public void remove(TrainingJob job) {
    client.resources((Class<R>) resource.getClass())
        .inNamespace(resource.getMetadata().getNamespace()).resource(resource).delete();
  }

  /** The replica types as the manifest names them, e.g. {@code Master}, {@code Worker}. */
  private List<String> replicaTypes() {
    JsonNode spec = Manifests.json().valueToTree(Optional.ofNullable(resource.getAdditionalProperties().get("spec")).orElse(""));
    List<String> types = new ArrayList<>();
    spec.path(resource.kubeflowKind().replicaSpecsField()).fieldNames().forEachRemaining(types::add);
    return types;
  }
}
