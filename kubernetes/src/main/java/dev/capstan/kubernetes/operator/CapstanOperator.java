package dev.capstan.kubernetes.operator;

import dev.capstan.core.ports.Clock;
import dev.capstan.kubernetes.cluster.ClusterCapacity;
import dev.capstan.kubernetes.training.TrainingJobReconciler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.processing.retry.GenericRetry;
import java.time.Duration;

/**
 * The cluster-mode operator: core's controllers inside Java Operator SDK, one reconciler per kind
 * (TrainingJob today; InferenceService registers beside it the same way). Only the leader of the
 * Lease reconciles; a standby takes over when the leader stops renewing.
 */
public final class CapstanOperator {
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
    GenericRetry retry = new GenericRetry()
        .setInitialInterval(settings.retryFirst().toMillis())
        .setIntervalMultiplier(2)
        .setMaxInterval(settings.retryMax().toMillis())
        .withoutMaxAttempts();
    operator.register(new TrainingJobReconciler(new ClusterCapacity(client), clock, leadership, settings.podSecurity()), c -> {
      c.withRetry(retry);
      if (settings.namespaces().isEmpty()) {
        c.watchingAllNamespaces();
      } else {
        c.settingNamespaces(settings.namespaces());
      }
    });
    return operator;
  }

  public static void main(String[] args) {
    KubernetesClient client = new KubernetesClientBuilder().build();
    Operator operator = create(client, OperatorSettings.fromEnvironment(System.getenv()), Clock.system());
    operator.installShutdownHook(Duration.ofSeconds(10));
    operator.start();
  }
}
