package dev.capstan.kubernetes.training;

import dev.capstan.api.training.TrainingJob;
import dev.capstan.core.ports.Clock;
import dev.capstan.core.training.ReplicaLabels;
import dev.capstan.core.training.TrainingJobController;
import dev.capstan.core.registry.JobOutputBackend;
import dev.capstan.core.training.ReplicaBackend;
import dev.capstan.kubernetes.apply.Applier;
import dev.capstan.kubernetes.registry.ClusterJobOutputs;
import dev.capstan.kubernetes.cluster.OperatorJobs;
import dev.capstan.kubernetes.queue.ClusterScheduler;
import dev.capstan.kubernetes.security.NamespacePodSecurity;
import dev.capstan.kubernetes.security.PodSecurityLevel;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TrainingJob reconciler of cluster mode: core's TrainingJobController over the API server
 * (store) and pods and services (backend). Admission is not decided here: the leader's
 * {@link ClusterScheduler} writes the {@code Admitted} condition, and a pass plans on what the
 * status records (pods are created only once it is true; a preempted job's pods are deleted with
 * its grace period). Pods and services owned by a job wake it up, and so does any change of its
 * status (the cycle's writes), so event processing is not generation-aware.
 */
@ControllerConfiguration(name = TrainingJobReconciler.NAME, generationAwareEventProcessing = false)
public final class TrainingJobReconciler implements Reconciler<TrainingJob> {
  public static final String NAME = "trainingjob";
  private static final Logger LOG = LoggerFactory.getLogger(TrainingJobReconciler.class);

  private final Clock clock;
  private final BooleanSupplier leading;
  private final PodSecurityLevel podSecurity;
  private final OperatorJobs jobs;
  private final Optional<ClusterScheduler> scheduler;
  private final Optional<ClusterJobOutputs> outputs;

  /**
   * {@code leading}: whether this process may act now (a pass that starts while it is false does
   * nothing); {@code podSecurity}: the operator's level, for namespaces whose label does not set
   * one; {@code jobs}: every job the operator runs, of every kind, which the cycle schedules;
   * {@code scheduler}: the cycle, started and stopped with this controller.
   */
  public TrainingJobReconciler(Clock clock, BooleanSupplier leading, PodSecurityLevel podSecurity, OperatorJobs jobs,
      ClusterScheduler scheduler) {
    this(clock, leading, podSecurity, jobs, Optional.of(scheduler), ClusterJobOutputs.fromEnvironment(System.getenv()));
  }

  /** {@code outputs}: where jobs with {@code spec.output} write and how it is registered; empty when no artifact store is set. */
  public TrainingJobReconciler(Clock clock, BooleanSupplier leading, PodSecurityLevel podSecurity, OperatorJobs jobs,
      Optional<ClusterScheduler> scheduler, Optional<ClusterJobOutputs> outputs) {
    this.outputs = outputs;
    this.clock = clock;
    this.leading = leading;
    this.podSecurity = podSecurity;
    this.jobs = jobs;
    this.scheduler = scheduler;
  }

  @Override
  public UpdateControl<TrainingJob> reconcile(TrainingJob job, Context<TrainingJob> context) {
    if (!leading.getAsBoolean()) {
      LOG.info("{} {}/{}: not the leader, leaving it to the one that is", TrainingJob.KIND,
          job.getMetadata().getNamespace(), job.getMetadata().getName());
      return UpdateControl.noUpdate();
    }
    var client = context.getClient();
    ApiServerTrainingJobs store = new ApiServerTrainingJobs(context);
    outputs.ifPresent(o -> registerOutput(o, client, job)); // before a TTL may remove the job
    ReplicaBackend pods = new PodReplicaBackend(new Applier(client), new NamespacePodSecurity(client, podSecurity));
    TrainingJobController controller = new TrainingJobController(store,
        outputs.<ReplicaBackend>map(o -> new JobOutputBackend(pods, o::location)).orElse(pods), new KubernetesEvents(client, job), clock);
    Optional<Duration> next = controller.reconcile(job);
    UpdateControl<TrainingJob> control = UpdateControl.noUpdate();
    next.ifPresent(after -> control.rescheduleAfter(after.plusMillis(100)));
    return control;
  }

  /** A registration that fails is tried again on the job's next pass; it never holds up the pass itself. */
  private static void registerOutput(ClusterJobOutputs outputs, io.fabric8.kubernetes.client.KubernetesClient client, TrainingJob job) {
    try {
      outputs.ensureRegistered(client, job);
    } catch (RuntimeException e) {
      LOG.warn("{} {}/{}: its output is not registered yet (tried again on its next pass): {}", TrainingJob.KIND,
          job.getMetadata().getNamespace(), job.getMetadata().getName(), e.toString());
    }
  }

  @Override
  public List<EventSource<?, TrainingJob>> prepareEventSources(EventSourceContext<TrainingJob> context) {
    // Registered once, before any pass: the cycle schedules these jobs from the start.
    var client = context.getClient();
    jobs.register(TrainingJob.KIND, () -> context.getPrimaryCache().list().toList(),
        (job, status) -> ApiServerTrainingJobs.writeStatus(client, job, status));
    List<EventSource<?, TrainingJob>> sources = new java.util.ArrayList<>(List.of(owned(Pod.class, context), owned(Service.class, context)));
    scheduler.ifPresent(sources::add);
    return sources;
  }

  private static <R extends HasMetadata> EventSource<R, TrainingJob> owned(Class<R> type, EventSourceContext<TrainingJob> context) {
    return new InformerEventSource<>(InformerEventSourceConfiguration.from(type, TrainingJob.class)
        .withLabelSelector(ReplicaLabels.CAPSTAN_JOB)
        .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(TrainingJob.class, false))
        .build(), context);
  }
}
