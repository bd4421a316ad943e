package dev.capstan.kubernetes.serving;

import dev.capstan.api.serving.InferenceService;
import dev.capstan.core.ports.Clock;
import dev.capstan.core.serving.GatewayFeedback;
import dev.capstan.core.serving.RevisionKey;
import dev.capstan.core.serving.RevisionLoad;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.OperatorException;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.AbstractEventSource;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The gateway's figures as an event source of the InferenceService reconciler, so that they start
 * and stop with it: while it runs, the leader long-polls each ready gateway pod
 * ({@link GatewayLoadPoller}) and hands loads and scale-from-zero requests to {@code feedback};
 * a scale-from-zero also runs the service's pass at once rather than at the next autoscaling tick.
 */
final class GatewayFeedbackSource extends AbstractEventSource<Void, InferenceService> {
  private final KubernetesClient client;
  private final ServingSettings settings;
  private final GatewayFeedback feedback;
  private final BooleanSupplier leading;
  private final Clock clock;
  private GatewayPods pods;
  private GatewayLoadPoller poller;

  GatewayFeedbackSource(KubernetesClient client, ServingSettings settings, GatewayFeedback feedback, BooleanSupplier leading,
      Clock clock) {
    super(Void.class, "gateway-feedback");
    this.client = client;
    this.settings = settings;
    this.feedback = feedback;
    this.leading = leading;
    this.clock = clock;
  }

  @Override
  public synchronized void start() throws OperatorException {
    super.start();
    pods = new GatewayPods(client, settings);
    poller = new GatewayLoadPoller(pods, new GatewayFeedback() {
      @Override
      public void reportLoad(List<RevisionLoad> loads) {
        feedback.reportLoad(loads);
      }

      @Override
      public void scaleFromZero(RevisionKey revision) {
        feedback.scaleFromZero(revision);
        getEventHandler().handleEvent(new Event(new ResourceID(revision.service(), revision.namespace())));
      }
    }, leading, clock).start();
  }

  @Override
  public synchronized void stop() throws OperatorException {
    if (poller != null) {
      poller.close();
      pods.close();
    }
    super.stop();
  }

  @Override
  public Set<Void> getSecondaryResources(InferenceService primary) {
    return Set.of();
  }
}
