package dev.capstan.kubernetes.training;

import dev.capstan.api.codec.Manifests;
import dev.capstan.api.training.Framework;
import dev.capstan.api.training.ReplicaId;
import dev.capstan.api.training.TrainingJob;
import dev.capstan.api.training.TrainingJobModel;
import dev.capstan.core.training.ReplicaLabels;
import dev.capstan.core.training.ReplicaLaunch;
import dev.capstan.kubernetes.security.PodSecurityLevel;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pod and the headless service of one replica, built from the plan's launch: a pure function,
 * shared by the operator and by {@code capstan render}.
 */
public final class ReplicaObjects {
  /** On a replica's service: the attempt its pod must belong to (survives operator restarts). */
  public static final String DESIRED_ATTEMPT = "capstan.dev/desired-attempt";
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String MANAGER = "capstan";
  /**
   * The image of a container whose template names none (manifests written for local mode, which
   * runs commands on the host): Capstan's replica image, with {@code capstan train} and a JDK.
   */
  public static final String DEFAULT_IMAGE = "capstan-replica:0.1.0";

  private ReplicaObjects() {}

  public static Pod pod(TrainingJob job, TrainingJobModel model, ReplicaLaunch launch) {
    return pod(job, model, launch, PodSecurityLevel.RESTRICTED);
  }

  /** The pod with {@code security}'s defaults filled in where its template leaves fields unset. */
  public static Pod pod(TrainingJob job, TrainingJobModel model, ReplicaLaunch launch, PodSecurityLevel security) {
    PodSpec spec = Manifests.copy(launch.group().template().getSpec(), PodSpec.class);
    spec.getContainers().stream().filter(c -> c.getImage() == null || c.getImage().isBlank())
        .forEach(c -> c.setImage(DEFAULT_IMAGE));
    Container main = spec.getContainers().get(launch.group().mainContainer());
    main.setEnv(env(main.getEnv(), launch.env()));
    main.setPorts(ports(main.getPorts(), model.framework()));
    // The planner restarts replicas (restart policy, scope and backoff limit live there), so the
    // kubelet must not restart containers in place behind its back.
    spec.setRestartPolicy("Never");
    spec.setHostname(launch.name());
    ObjectMeta templateMeta = launch.group().template().getMetadata();
    security.apply(spec, templateMeta == null ? null : templateMeta.getAnnotations());
    Map<String, String> labels = new LinkedHashMap<>();
    if (templateMeta != null && templateMeta.getLabels() != null) {
      labels.putAll(templateMeta.getLabels());
    }
    labels.putAll(launch.labels());
    labels.put(MANAGED_BY, MANAGER);
    Map<String, String> annotations = templateMeta == null || templateMeta.getAnnotations() == null
        ? null : new LinkedHashMap<>(templateMeta.getAnnotations());
    return new PodBuilder()
        .withMetadata(meta(job, launch.name(), labels, annotations))
        .withSpec(spec)
        .build();
  }

  /** A headless service named like the replica; TF_CONFIG and MASTER_ADDR resolve through it. */
  public static Service service(TrainingJob job, TrainingJobModel model, ReplicaId id, int attempt) {
    Framework framework = model.framework();
    Map<String, String> selector = new LinkedHashMap<>();
    selector.put(ReplicaLabels.JOB_NAME, model.name());
    selector.put(ReplicaLabels.REPLICA_TYPE, id.role());
    selector.put(ReplicaLabels.REPLICA_INDEX, Integer.toString(id.index()));
    Map<String, String> labels = new LinkedHashMap<>(selector);
    labels.put(ReplicaLabels.CAPSTAN_JOB, model.name());
    labels.put(MANAGED_BY, MANAGER);
    ObjectMeta meta = meta(job, id.name(model.name()), labels, Map.of(DESIRED_ATTEMPT, Integer.toString(attempt)));
    return new ServiceBuilder()
        .withMetadata(meta)
        .withNewSpec()
        .withClusterIP("None")
        .withPublishNotReadyAddresses(true)
        .withSelector(selector)
        .addNewPort().withName(framework.portName()).withPort(framework.defaultPort())
        .withNewTargetPort(framework.defaultPort()).withProtocol("TCP").endPort()
        .endSpec()
        .build();
  }

  /** To the job as it is stored: a Kubeflow job run as a TrainingJob carries its own apiVersion and kind. */
  public static OwnerReference owner(TrainingJob job) {
    return new OwnerReferenceBuilder()
        .withApiVersion(job.getApiVersion() == null ? TrainingJob.API_VERSION : job.getApiVersion())
        .withKind(job.getKind() == null ? TrainingJob.KIND : job.getKind())
        .withName(job.getMetadata().getName())
        .withUid(job.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  private static ObjectMeta meta(TrainingJob job, String name, Map<String, String> labels, Map<String, String> annotations) {
    String ns = job.getMetadata().getNamespace() == null ? "default" : job.getMetadata().getNamespace();
    ObjectMetaBuilder meta = new ObjectMetaBuilder().withName(name).withNamespace(ns).withLabels(labels);
    if (annotations != null && !annotations.isEmpty()) {
      meta.withAnnotations(annotations);
    }
    if (job.getMetadata().getUid() != null) {
      meta.withOwnerReferences(owner(job));
    }
    return meta.build();
  }

  /** The user's variables, then the contract's; a contract variable replaces one of the same name. */
  private static List<EnvVar> env(List<EnvVar> user, Map<String, String> contract) {
    List<EnvVar> out = new ArrayList<>();
    if (user != null) {
      user.stream().filter(e -> !contract.containsKey(e.getName())).forEach(out::add);
    }
    contract.forEach((k, v) -> out.add(new EnvVar(k, v, null)));
    return out;
  }

  private static List<ContainerPort> ports(List<ContainerPort> user, Framework framework) {
    List<ContainerPort> out = user == null ? new ArrayList<>() : new ArrayList<>(user);
    boolean present = out.stream().anyMatch(p -> framework.portName().equals(p.getName())
        || p.getContainerPort() != null && p.getContainerPort() == framework.defaultPort());
    if (!present) {
      out.add(new ContainerPortBuilder().withName(framework.portName()).withContainerPort(framework.defaultPort())
          .withProtocol("TCP").build());
    }
    return out;
  }
}
