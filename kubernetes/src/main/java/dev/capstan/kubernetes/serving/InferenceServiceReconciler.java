package dev.capstan.kubernetes.serving;

import dev.capstan.api.serving.InferenceService;
import dev.capstan.core.ports.Clock;
import dev.capstan.core.serving.GatewayFeedback;
import dev.capstan.core.serving.InferenceServiceController;
import dev.capstan.core.serving.ModelSources;
import dev.capstan.kubernetes.apply.Applier;
import dev.capstan.kubernetes.security.NamespacePodSecurity;
import dev.capstan.kubernetes.security.PodSecurityLevel;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Cleaner;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.DeleteControl;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The InferenceService reconciler of cluster mode: core's InferenceServiceController over the API
 * server (store), a Deployment and a Service per revision (backend), and the autoscalers the
 * controller keeps, fed with the gateway pods' load figures ({@link GatewayFeedbackSource}). Its
 * revisions' Deployments, Services and pods wake a service up, and so does a request waiting at
 * zero replicas.
 * A finalizer lets a deleted service remove its revisions and forget their autoscalers.
 */
@ControllerConfiguration(name = InferenceServiceReconciler.NAME)
public final class InferenceServiceReconciler implements Reconciler<InferenceService>, Cleaner<InferenceService> {
  public static final String NAME = "inferenceservice";
  private static final Logger LOG = LoggerFactory.getLogger(InferenceServiceReconciler.class);

  private final ServingSettings settings;
  private final Clock clock;
  private final BooleanSupplier leading;
  private final PodSecurityLevel podSecurity;
  private volatile ApiServerInferenceServices store;
  private volatile InferenceServiceController controller;

  public InferenceServiceReconciler(ServingSettings settings, Clock clock, BooleanSupplier leading, PodSecurityLevel podSecurity) {
    this.settings = settings;
    this.clock = clock;
    this.leading = leading;
    this.podSecurity = podSecurity;
  }

  @Override
  public UpdateControl<InferenceService> reconcile(InferenceService isvc, Context<InferenceService> context) {
    if (!leads(isvc)) {
      return UpdateControl.noUpdate();
    }
    store.bind(context);
    UpdateControl<InferenceService> control = UpdateControl.noUpdate();
    controller.reconcile(isvc).requeueAfter().ifPresent(control::rescheduleAfter);
    return control;
  }

  @Override
  public DeleteControl cleanup(InferenceService isvc, Context<InferenceService> context) {
    if (!leads(isvc)) {
      return DeleteControl.noFinalizerRemoval();
    }
    store.bind(context);
    var outcome = controller.reconcile(isvc);
    return outcome.requeueAfter().map(after -> DeleteControl.noFinalizerRemoval().rescheduleAfter(after.toMillis()))
        .orElse(DeleteControl.defaultDelete());
  }

  /** A failed pass: a {@code Stalled} condition and a Warning event, then JOSDK's retry with backoff. */
  @Override
  public ErrorStatusUpdateControl<InferenceService> updateErrorStatus(InferenceService isvc, Context<InferenceService> context,
      Exception e) {
    int failures = context.getRetryInfo().map(RetryInfo::getAttemptCount).orElse(1);
    LOG.warn("{}: pass failed ({} in a row): {}", InferenceServiceController.objectName(isvc), failures, e.toString());
    if (controller != null && leading.getAsBoolean()) {
      try {
        store.bind(context);
        controller.recordReconcileError(isvc, e, failures, Duration.ofMillis(500L << Math.min(failures, 7)));
      } catch (RuntimeException recordFailed) {
        LOG.warn("{}: could not record the failure: {}", InferenceServiceController.objectName(isvc), recordFailed.toString());
      }
    }
    return ErrorStatusUpdateControl.noStatusUpdate();
  }

  @Override
  public List<EventSource<?, InferenceService>> prepareEventSources(EventSourceContext<InferenceService> context) {
    InformerEventSource<Deployment, InferenceService> deployments = owned(Deployment.class, context);
    InformerEventSource<Service, InferenceService> services = owned(Service.class, context);
    InformerEventSource<Pod, InferenceService> pods = new InformerEventSource<>(
        InformerEventSourceConfiguration.from(Pod.class, InferenceService.class)
            .withLabelSelector(RevisionLabels.SERVICE)
            .withSecondaryToPrimaryMapper(pod -> Set.of(new ResourceID(pod.getMetadata().getLabels().get(RevisionLabels.SERVICE),
                pod.getMetadata().getNamespace())))
            .build(), context);
    var client = context.getClient();
    store = new ApiServerInferenceServices(client, context.getPrimaryCache());
    DeploymentServingBackend.Owned owned = new DeploymentServingBackend.Owned() {
      @Override
      public List<Deployment> deployments(InferenceService isvc) {
        return List.copyOf(deployments.getSecondaryResources(isvc));
      }

      @Override
      public List<Service> services(InferenceService isvc) {
        return List.copyOf(services.getSecondaryResources(isvc));
      }

      @Override
      public List<Pod> pods(InferenceService isvc) {
        return List.copyOf(pods.getSecondaryResources(isvc));
      }
    };
    var backend = new DeploymentServingBackend(owned, new Applier(client), settings.serveImage(),
        new NamespacePodSecurity(client, podSecurity), clock);
    controller = new InferenceServiceController(store, backend, ModelSources.asWritten(),
        new ServiceEvents(client, store::cached), clock, settings.gatewayUrl());
    return List.of(deployments, services, pods,
        new GatewayFeedbackSource(client, settings, controller, leading, clock));
  }

  /**
   * Where the gateway's figures go: the controller's autoscalers (null until the operator
   * started). The leader's poller feeds it; tests may too.
   */
  public GatewayFeedback feedback() {
    return controller;
  }

  private boolean leads(InferenceService isvc) {
    if (leading.getAsBoolean() && controller != null) {
      return true;
    }
    LOG.info("{}: not the leader, leaving it to the one that is", InferenceServiceController.objectName(isvc));
    return false;
  }

  private static <R extends HasMetadata> InformerEventSource<R, InferenceService> owned(Class<R> type,
      EventSourceContext<InferenceService> context) {
    return new InformerEventSource<>(InformerEventSourceConfiguration.from(type, InferenceService.class)
        .withLabelSelector(RevisionLabels.SERVICE)
        .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(InferenceService.class, false))
        .build(), context);
  }
}
