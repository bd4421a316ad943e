package dev.capstan.kubernetes.kubeflow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.capstan.api.codec.Manifests;
import dev.capstan.api.kubeflow.KubeflowJobs;
import dev.capstan.api.kubeflow.KubeflowKind;
import dev.capstan.api.training.TrainingJob;
import dev.capstan.api.training.TrainingJobSpec;
import dev.capstan.api.training.TrainingJobStatus;
import dev.capstan.api.validation.InvalidSpecException;
import dev.capstan.core.ports.Clock;
import dev.capstan.core.ports.EventSink;
import dev.capstan.core.status.Conditions;
import dev.capstan.core.training.ReplicaAction;
import dev.capstan.core.training.ReplicaLabels;
import dev.capstan.core.training.TrainingJobController;
import dev.capstan.core.training.TrainingJobState;
import dev.capstan.core.training.TrainingReason;
import dev.capstan.kubernetes.apply.Applier;
import dev.capstan.kubernetes.cluster.OperatorJobs;
import dev.capstan.kubernetes.security.NamespacePodSecurity;
import dev.capstan.kubernetes.security.PodSecurityLevel;
import dev.capstan.kubernetes.training.KubernetesEvents;
import dev.capstan.kubernetes.training.PodReplicaBackend;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kubeflow's job kinds in cluster mode: each pass converts the stored {@code kubeflow.org/v1} job
 * with {@link KubeflowJobs#toTrainingJob} and hands it to core's TrainingJobController with the
 * same backend and events as TrainingJobs; the operator's scheduling cycle admits them beside
 * TrainingJobs and writes its decision under the job's {@code status.capstan}, and a change of
 * status wakes the job (event processing is not generation-aware). Pods and services are owned by the Kubeflow
 * job itself; its status is written in Kubeflow's shape ({@link KubeflowStatus}). A job that does
 * not convert fails with a condition naming the field as the manifest spells it, and its replicas
 * are stopped. One subclass per kind, so Java Operator SDK knows the primary resource.
 */
public abstract class KubeflowJobReconciler<R extends KubeflowJobResource> implements Reconciler<R> {
  private static final Logger LOG = LoggerFactory.getLogger(KubeflowJobReconciler.class);

  private final Class<R> type;
  private final Clock clock;
  private final BooleanSupplier leading;
  private final PodSecurityLevel podSecurity;
  private final OperatorJobs jobs;

  KubeflowJobReconciler(Class<R> type, Clock clock, BooleanSupplier leading, PodSecurityLevel podSecurity, OperatorJobs jobs) {
    this.type = type;
    this.jobs = jobs;
    this.clock = clock;
    this.leading = leading;
    this.podSecurity = podSecurity;
  }

  /**
   * The reconciler of one kind. {@code jobs}: every job the operator runs, of every kind, which
   * the scheduling cycle schedules; this kind's jobs join it.
   */
  public static KubeflowJobReconciler<?> of(KubeflowKind kind, Clock clock, BooleanSupplier leading, PodSecurityLevel podSecurity,
      OperatorJobs jobs) {
    return switch (kind) {
      case PYTORCH_JOB -> new PyTorchJobs(clock, leading, podSecurity, jobs);
      case TF_JOB -> new TFJobs(clock, leading, podSecurity, jobs);
      case XGBOOST_JOB -> new XGBoostJobs(clock, leading, podSecurity, jobs);
      case JAX_JOB -> new JAXJobs(clock, leading, podSecurity, jobs);
      case PADDLE_JOB -> new PaddleJobs(clock, leading, podSecurity, jobs);
      case MX_JOB -> new MXJobs(clock, leading, podSecurity, jobs);
    };
  }

  @Override
  public UpdateControl<R> reconcile(R resource, Context<R> context) {
    String key = resource.getKind() + " " + resource.getMetadata().getNamespace() + "/" + resource.getMetadata().getName();
    if (!leading.getAsBoolean()) {
      LOG.info("{}: not the leader, leaving it to the one that is", key);
      return UpdateControl.noUpdate();
    }
    var client = context.getClient();
    KubeflowJobStore<R> store = new KubeflowJobStore<>(context, resource, clock);
    PodReplicaBackend backend = new PodReplicaBackend(new Applier(client), new NamespacePodSecurity(client, podSecurity));
    TrainingJob job;
    try {
      job = convert(resource);
    } catch (InvalidSpecException e) {
      TrainingJob stub = stub(resource);
      LOG.warn("{}: invalid: {}", key, e.getMessage());
      rejectInvalid(stub, store, backend, new KubernetesEvents(client, stub), e);
      return UpdateControl.noUpdate();
    }
    Optional<Duration> next = new TrainingJobController(store, backend, new KubernetesEvents(client, job), clock).reconcile(job);
    UpdateControl<R> control = UpdateControl.noUpdate();
    next.ifPresent(after -> control.rescheduleAfter(after.plusMillis(100)));
    return control;
  }

  /** The TrainingJobs stored Kubeflow jobs run as; one that does not convert holds no capacity. */
  static List<TrainingJob> converted(Stream<? extends KubeflowJobResource> resources) {
    return resources.<TrainingJob>mapMulti((resource, out) -> {
      try {
        out.accept(convert(resource));
      } catch (InvalidSpecException e) {
        // not counted
      }
    }).toList();
  }

  /**
   * Converted, then carrying the Kubeflow job's own apiVersion and kind (so owner references and
   * events name it) and the TrainingJob status its last pass recorded.
   */
  private static TrainingJob convert(KubeflowJobResource resource) {
    ObjectNode tree = Manifests.json().valueToTree(resource);
    tree.remove("status");
    TrainingJob converted = KubeflowJobs.toTrainingJob(tree);
    TrainingJob job = new KubeflowTrainingJob(resource.kubeflowKind());
    job.setMetadata(converted.getMetadata());
    job.setSpec(converted.getSpec());
    job.setStatus(KubeflowStatus.capstanStatus(Manifests.json().valueToTree(resource.getAdditionalProperties().get("status"))));
    return job;
  }

  /** A job that did not convert, as far as stopping its replicas and recording why needs. */
  private static TrainingJob stub(KubeflowJobResource resource) {
    TrainingJob job = new KubeflowTrainingJob(resource.kubeflowKind());
    job.setMetadata(Manifests.copy(resource.getMetadata(), ObjectMeta.class));
    job.setSpec(new TrainingJobSpec());
    job.setStatus(KubeflowStatus.capstanStatus(Manifests.json().valueToTree(resource.getAdditionalProperties().get("status"))));
    return job;
  }

  /** As core does for an invalid TrainingJob: replicas stopped, a Failed condition naming the field, an event. */
  private void rejectInvalid(TrainingJob job, KubeflowJobStore<R> store, PodReplicaBackend backend, EventSink events,
      InvalidSpecException e) {
    backend.apply(job, backend.observe(job).replicas().keySet().stream()
        .map(id -> (ReplicaAction) new ReplicaAction.Stop(id, "the spec is invalid")).toList());
    TrainingJobStatus previous = job.getStatus() == null ? new TrainingJobStatus() : job.getStatus();
    TrainingJobStatus next = Manifests.copy(previous, TrainingJobStatus.class);
    long generation = job.getMetadata().getGeneration() == null ? 1 : job.getMetadata().getGeneration();
    next.setState(TrainingJobState.Failed.name());
    next.setMessage(e.getMessage());
    next.setObservedGeneration(generation);
    next.setConditions(Conditions.set(next.getConditions(), TrainingJobState.Failed.name(), true, TrainingReason.InvalidSpec,
        e.getMessage(), clock.now(), generation));
    if (!next.equals(job.getStatus())) {
      events.record(job.getKind() + " " + job.getMetadata().getNamespace() + "/" + job.getMetadata().getName(),
          EventSink.EventType.Warning, TrainingJobState.Failed.name(), e.getMessage());
      store.updateStatus(job, next);
    }
  }

  @Override
  public List<EventSource<?, R>> prepareEventSources(EventSourceContext<R> context) {
    // Registered once, before any pass: the cycle schedules these jobs from the start.
    var client = context.getClient();
    jobs.register(HasMetadata.getKind(type), () -> converted(context.getPrimaryCache().list()),
        (job, status) -> context.getPrimaryCache().get(io.javaoperatorsdk.operator.processing.event.ResourceID.fromResource(job))
            .ifPresent(resource -> new KubeflowJobStore<>(client, List::of, resource, clock, written -> { }).updateStatus(job, status)));
    return List.of(owned(Pod.class, context), owned(Service.class, context));
  }

  private <S extends HasMetadata> EventSource<S, R> owned(Class<S> child, EventSourceContext<R> context) {
    return new InformerEventSource<>(InformerEventSourceConfiguration.from(child, type)
        .withName(child.getSimpleName().toLowerCase(java.util.Locale.ROOT) + "s-of-" + HasMetadata.getPlural(type))
        .withLabelSelector(ReplicaLabels.CAPSTAN_JOB)
        .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(type, false))
        .build(), context);
  }

  static final class PyTorchJobs extends KubeflowJobReconciler<KubeflowJobResource.PyTorchJob> {
    PyTorchJobs(Clock clock, BooleanSupplier l, PodSecurityLevel s, OperatorJobs j) {
      super(KubeflowJobResource.PyTorchJob.class, clock, l, s, j);
    }
  }

  static final class TFJobs extends KubeflowJobReconciler<KubeflowJobResource.TFJob> {
    TFJobs(Clock clock, BooleanSupplier l, PodSecurityLevel s, OperatorJobs j) {
      super(KubeflowJobResource.TFJob.class, clock, l, s, j);
    }
  }

  static final class XGBoostJobs extends KubeflowJobReconciler<KubeflowJobResource.XGBoostJob> {
    XGBoostJobs(Clock clock, BooleanSupplier l, PodSecurityLevel s, OperatorJobs j) {
      super(KubeflowJobResource.XGBoostJob.class, clock, l, s, j);
    }
  }

  static final class JAXJobs extends KubeflowJobReconciler<KubeflowJobResource.JAXJob> {
    JAXJobs(Clock clock, BooleanSupplier l, PodSecurityLevel s, OperatorJobs j) {
      super(KubeflowJobResource.JAXJob.class, clock, l, s, j);
    }
  }

  static final class PaddleJobs extends KubeflowJobReconciler<KubeflowJobResource.PaddleJob> {
    PaddleJobs(Clock clock, BooleanSupplier l, PodSecurityLevel s, OperatorJobs j) {
      super(KubeflowJobResource.PaddleJob.class, clock, l, s, j);
    }
  }

  static final class MXJobs extends KubeflowJobReconciler<KubeflowJobResource.MXJob> {
    MXJobs(Clock clock, BooleanSupplier l, PodSecurityLevel s, OperatorJobs j) {
      super(KubeflowJobResource.MXJob.class, clock, l, s, j);
    }
  }
}
