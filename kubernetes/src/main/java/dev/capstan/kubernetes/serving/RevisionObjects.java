package dev.capstan.kubernetes.serving;

import dev.capstan.api.codec.Manifests;
import dev.capstan.api.serving.InferenceService;
import dev.capstan.core.serving.RevisionTemplate;
import dev.capstan.kubernetes.security.PodSecurityLevel;
import dev.capstan.kubernetes.training.ReplicaObjects;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Deployment and the Service of one revision, a pure function shared by the operator and
 * {@code capstan render}. Both are named after the revision and owned by the InferenceService.
 *
 * <p>A replica is {@code capstan serve --model-dir /mnt/models --name {service}} in Capstan's
 * replica image, ready when {@code /v2/health/ready} says so; an init container of the same image
 * fetches the revision's model into {@code /mnt/models} (an emptyDir) with {@code capstan fetch},
 * so the server starts on files already checked. The pod gets Pod Security "restricted" defaults
 * (or the namespace's level), the predictor's resources on both containers, and the replica count
 * the autoscaler decided.
 */
public final class RevisionObjects {
  public static final String MODEL_DIR = "/mnt/models";
  public static final String HTTP_PORT_NAME = "http";
  public static final String GRPC_PORT_NAME = "grpc";
  public static final int HTTP_PORT = 8080;
  public static final int GRPC_PORT = 8081;
  static final String SERVER_CONTAINER = "kserve-container";
  static final String FETCH_CONTAINER = "storage-initializer";
  static final String MODEL_VOLUME = "model";
  /** A container that fails says why in its last log lines: they become its termination message. */
  static final String LOG_TAIL = "FallbackToLogsOnError";
  /** The capstan command in the replica image (cli/src/main/jib). */
  static final String COMMAND = "capstan";
  /** A draining replica answers what it accepted before it exits; the kubelet waits this long. */
  static final long TERMINATION_GRACE_SECONDS = 60;

  private RevisionObjects() {}

  public static Deployment deployment(InferenceService isvc, RevisionTemplate revision, int replicas, String image,
      PodSecurityLevel security) {
    Map<String, String> selector = selector(isvc, revision);
    PodSpec pod = podSpec(isvc, revision, image);
    security.apply(pod, null);
    return new DeploymentBuilder()
        .withMetadata(meta(isvc, revision))
        .withNewSpec()
        .withReplicas(replicas)
        .withNewSelector().withMatchLabels(selector).endSelector()
        .withNewTemplate()
        .withNewMetadata().withLabels(labels(isvc, revision)).endMetadata()
        .withSpec(pod)
        .endTemplate()
        .endSpec()
        .build();
  }

  /** A ClusterIP Service over the revision's ready replicas; the cluster's EndpointSlices of it feed the gateway. */
  public static Service service(InferenceService isvc, RevisionTemplate revision) {
    return new ServiceBuilder()
        .withMetadata(meta(isvc, revision))
        .withNewSpec()
        .withSelector(selector(isvc, revision))
        .addNewPort().withName(HTTP_PORT_NAME).withPort(HTTP_PORT).withTargetPort(new IntOrString(HTTP_PORT_NAME))
        .withAppProtocol("http").endPort()
        .addNewPort().withName(GRPC_PORT_NAME).withPort(GRPC_PORT).withTargetPort(new IntOrString(GRPC_PORT_NAME))
        .withAppProtocol("kubernetes.io/h2c").endPort()
        .endSpec()
        .build();
  }

  /** To the InferenceService as stored, so deleting it deletes every revision's objects. */
  public static OwnerReference owner(InferenceService isvc) {
    return new OwnerReferenceBuilder()
        .withApiVersion(InferenceService.API_VERSION)
        .withKind(InferenceService.KIND)
        .withName(isvc.getMetadata().getName())
        .withUid(isvc.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  private static PodSpec podSpec(InferenceService isvc, RevisionTemplate revision, String image) {
    ResourceRequirements resources = revision.predictor().resources();
    if (resources.getRequests() == null && resources.getLimits() == null && resources.getClaims() == null) {
      resources = null;
    }
    Container fetch = new ContainerBuilder()
        .withName(FETCH_CONTAINER)
        .withImage(image)
        .withCommand(COMMAND)
        .withArgs("fetch", revision.storageUri(), MODEL_DIR)
        .withTerminationMessagePolicy(LOG_TAIL)
        .withResources(resources == null ? null : Manifests.copy(resources, ResourceRequirements.class))
        .addNewVolumeMount().withName(MODEL_VOLUME).withMountPath(MODEL_DIR).endVolumeMount()
        .build();
    Container server = new ContainerBuilder()
        .withName(SERVER_CONTAINER)
        .withImage(image)
        .withCommand(COMMAND)
        .withArgs("serve", "--model-dir", MODEL_DIR, "--name", isvc.getMetadata().getName(),
            "--port", Integer.toString(HTTP_PORT), "--grpc-port", Integer.toString(GRPC_PORT))
        .withTerminationMessagePolicy(LOG_TAIL)
        .addNewPort().withName(HTTP_PORT_NAME).withContainerPort(HTTP_PORT).withProtocol("TCP").endPort()
        .addNewPort().withName(GRPC_PORT_NAME).withContainerPort(GRPC_PORT).withProtocol("TCP").endPort()
        .withResources(resources)
        .addNewVolumeMount().withName(MODEL_VOLUME).withMountPath(MODEL_DIR).withReadOnly(true).endVolumeMount()
        .withNewReadinessProbe()
        .withNewHttpGet().withPath("/v2/health/ready").withPort(new IntOrString(HTTP_PORT_NAME)).endHttpGet()
        .withPeriodSeconds(2).withFailureThreshold(3).withTimeoutSeconds(2)
        .endReadinessProbe()
        .withNewLivenessProbe()
        .withNewHttpGet().withPath("/v2/health/live").withPort(new IntOrString(HTTP_PORT_NAME)).endHttpGet()
        .withInitialDelaySeconds(30).withPeriodSeconds(10).withFailureThreshold(3).withTimeoutSeconds(5)
        .endLivenessProbe()
        .build();
    return new PodSpecBuilder()
        .withInitContainers(fetch)
        .withContainers(server)
        .addNewVolume().withName(MODEL_VOLUME).withNewEmptyDir().endEmptyDir().endVolume()
        .withTerminationGracePeriodSeconds(TERMINATION_GRACE_SECONDS)
        .withEnableServiceLinks(false)
        .withAutomountServiceAccountToken(false)
        .build();
  }

  private static ObjectMeta meta(InferenceService isvc, RevisionTemplate revision) {
    ObjectMetaBuilder meta = new ObjectMetaBuilder()
        .withName(revision.key().revision())
        .withNamespace(namespace(isvc))
        .withLabels(labels(isvc, revision));
    if (isvc.getMetadata().getUid() != null) {
      meta.withOwnerReferences(List.of(owner(isvc)));
    }
    return meta.build();
  }

  static Map<String, String> selector(InferenceService isvc, RevisionTemplate revision) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(RevisionLabels.SERVICE, isvc.getMetadata().getName());
    labels.put(RevisionLabels.REVISION, revision.key().revision());
    return labels;
  }

  private static Map<String, String> labels(InferenceService isvc, RevisionTemplate revision) {
    Map<String, String> labels = selector(isvc, revision);
    labels.put(ReplicaObjects.MANAGED_BY, ReplicaObjects.MANAGER);
    return labels;
  }

  public static String namespace(InferenceService isvc) {
    return isvc.getMetadata().getNamespace() == null ? "default" : isvc.getMetadata().getNamespace();
  }
}
