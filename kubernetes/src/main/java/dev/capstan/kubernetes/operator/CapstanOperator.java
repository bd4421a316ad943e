package dev.capstan.kubernetes.operator;

import dev.capstan.api.kubeflow.KubeflowKind;
import dev.capstan.core.ports.Clock;
import dev.capstan.kubernetes.cluster.OperatorJobs;
import dev.capstan.kubernetes.kubeflow.KubeflowCrdOwnership;
import dev.capstan.kubernetes.kubeflow.KubeflowCrds;
import dev.capstan.kubernetes.kubeflow.KubeflowJobReconciler;
import dev.capstan.kubernetes.queue.ClusterScheduler;
import dev.capstan.kubernetes.serving.InferenceServiceReconciler;
import dev.capstan.kubernetes.training.TrainingJobReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster-mode operator: core's controllers inside Java Operator SDK, one reconciler per kind
 * (TrainingJob; with {@code CAPSTAN_KUBEFLOW_JOBS} on, each {@code kubeflow.org/v1} job kind whose
 * CRD is Capstan's own; InferenceService, whose autoscalers the leader feeds from the gateway
 * pods), and one scheduling cycle ({@link ClusterScheduler}) that admits the jobs of every kind. Only the leader of the Lease reconciles; a standby takes over when the leader stops
 * renewing.
 */
public final class CapstanOperator {
  private static final Logger LOG = LoggerFactory.getLogger(CapstanOperator.class);
  private CapstanOperator() {}

  public static Operator create(KubernetesClient client, OperatorSettings settings, Clock clock) {
    return create(client, settings, clock, settings.lease().isPresent() ? Leadership.elected() : Leadership.always());
  }

  /**
   * An operator whose passes run only while {@code leadership} says this process leads; with a
   * Lease configured, {@code leadership} follows it (see {@link Leadership}).
   */
  public static Operator create(KubernetesClient client, OperatorSettings settings, Clock clock, Leadership leadership) {
    Operator operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withCloseClientOnStop(false)
          .withUseSSAToPatchPrimaryResource(false)
          .withSSABasedCreateUpdateMatchForDependentResources(false)
          .withStopOnInformerErrorDuringStartup(true)
          .withCacheSyncTimeout(Duration.ofMinutes(2));
      settings.lease().ifPresent(l -> o.withLeaderElectionConfiguration(
          new LeaderElectionConfiguration(l.name(), l.namespace(), l.duration(), l.renewDeadline(), l.retryPeriod(),
              l.identity(), leadership.callbacks(l.identity()), l.exitOnLoss())));
    });
    settings.lease().ifPresent(l -> leadership.confirmWith(l.identity(), l.retryPeriod(), () -> Optional.ofNullable(
        client.leases().inNamespace(l.namespace()).withName(l.name()).get()).map(lease -> lease.getSpec().getHolderIdentity())));
    GenericRetry retry = new GenericRetry()
        .setInitialInterval(settings.retryFirst().toMillis())
        .setIntervalMultiplier(2)
        .setMaxInterval(settings.retryMax().toMillis())
        .withoutMaxAttempts();
    OperatorJobs jobs = new OperatorJobs();
    ClusterScheduler scheduler = new ClusterScheduler(client, jobs, clock, leadership, ClusterScheduler.PERIOD,
        settings.metricsPort(), settings.placement());
    operator.register(new TrainingJobReconciler(clock, leadership, settings.podSecurity(), jobs, scheduler),
        c -> configure(c, settings, retry).withGenerationAware(false));
    operator.register(new InferenceServiceReconciler(settings.serving(), clock, leadership, settings.podSecurity()),
        c -> configure(c, settings, retry));
    if (settings.kubeflowJobs()) {
      for (KubeflowKind kind : kubeflowKindsToReconcile(client)) {
        operator.register(KubeflowJobReconciler.of(kind, clock, leadership, settings.podSecurity(), jobs),
            c -> configure(c, settings, retry).withGenerationAware(false));
      }
    }
    return operator;
  }

  private static <R extends io.fabric8.kubernetes.api.model.HasMetadata> ControllerConfigurationOverrider<R> configure(
      ControllerConfigurationOverrider<R> c, OperatorSettings settings, GenericRetry retry) {
    c.withRetry(retry);
    // passes are driven by events; a pass at least once a minute bounds what a lost event can stall
    c.withReconciliationMaxInterval(java.time.Duration.ofMinutes(1));
    if (settings.namespaces().isEmpty()) {
      c.watchingAllNamespaces();
    } else {
      c.settingNamespaces(settings.namespaces());
    }
    return c;
  }

  /**
   * Kubeflow's kinds whose CRD is Capstan's own; one served by another operator's CRD is left alone,
   * with the reason logged. A kind with no CRD at all stops the start: the CRDs are installed with
   * the setting (a chart installing both may start the operator first; it restarts and finds them).
   */
  private static List<KubeflowKind> kubeflowKindsToReconcile(KubernetesClient client) {
    KubeflowCrdOwnership ownership = KubeflowCrdOwnership.read(client);
    if (!ownership.unserved().isEmpty()) {
      throw new IllegalStateException("CAPSTAN_KUBEFLOW_JOBS is true but no CRD serves "
          + ownership.unserved().stream().map(KubeflowCrds::name).toList() + ": " + KubeflowCrdOwnership.Owner.NONE.meaning());
    }
    ownership.owners().forEach((kind, owner) -> {
      if (owner == KubeflowCrdOwnership.Owner.CAPSTAN) {
        LOG.info("{} {}: {}", KubeflowKind.API_VERSION, kind.kind(), owner.meaning());
      } else {
        LOG.warn("{} {}: {}", KubeflowKind.API_VERSION, kind.kind(), owner.meaning());
      }
    });
    return ownership.reconciled();
  }

  public static void main(String[] args) {
    KubernetesClient client = new KubernetesClientBuilder().build();
    Operator operator = create(client, OperatorSettings.fromEnvironment(System.getenv()), Clock.system());
    operator.installShutdownHook(Duration.ofSeconds(10));
    operator.start();
  }
}
