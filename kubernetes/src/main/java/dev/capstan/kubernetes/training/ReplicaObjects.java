package dev.capstan.kubernetes.training;

import dev.capstan.api.codec.Manifests;
import dev.capstan.api.training.Framework;
import dev.capstan.api.training.ReplicaId;
import dev.capstan.api.training.TrainingJob;
import dev.capstan.api.training.TrainingJobModel;
import dev.capstan.core.training.AdmissionRecord;
import dev.capstan.core.training.ReplicaLabels;
import dev.capstan.core.training.ReplicaLaunch;
import dev.capstan.core.training.env.EnvContract;
import dev.capstan.kubernetes.placement.NodeStates;
import dev.capstan.kubernetes.security.PodSecurityLevel;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pod and the headless service of one replica, built from the plan's launch: a pure function,
 * shared by the operator and by {@code capstan render}. A replica the job's admission placed on a
 * node ({@code status.placement}) requires that node.
 */
public final class ReplicaObjects {
  /** On a replica's service: the attempt its pod must belong to (survives operator restarts). */
  public static final String DESIRED_ATTEMPT = "capstan.dev/desired-attempt";
  /** On a replica's pod: the node Capstan's placement pinned it to (its required node affinity names it). */
  public static final String PLACED_ON = "capstan.dev/placed-on";
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
    main.setPorts(ports(main.getPorts(), model.framework()));
    // As the training operator's setPodEnv does, every container gets the contract (TF_CONFIG only
    // the framework's container, as SetClusterSpec does).
    for (Container c : spec.getContainers()) {
      c.setEnv(env(c.getEnv(), launch.env(), c == main));
    }
    MasterWaitContainer.forReplica(model, launch.id()).ifPresent(init -> {
      List<Container> inits = spec.getInitContainers() == null ? new ArrayList<>() : new ArrayList<>(spec.getInitContainers());
      inits.add(init);
      spec.setInitContainers(inits);
    });
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
    String node = AdmissionRecord.placement(job.getStatus()).get(launch.id().shortName());
    if (node != null) {
      pin(spec, node);
      annotations = annotations == null ? new LinkedHashMap<>() : annotations;
      annotations.put(PLACED_ON, node);
    }
    return new PodBuilder()
        .withMetadata(meta(job, launch.name(), labels, annotations))
        .withSpec(spec)
        .build();
  }

  /**
   * Requires {@code kubernetes.io/hostname} to be {@code node}, in every term of the template's
   * required node affinity (terms are alternatives, so each must name it), or in a term of its own.
   * kube-scheduler still checks the rest (taints, ports, the template's other constraints); no
   * {@code nodeName} is set.
   */
  private static void pin(PodSpec spec, String node) {
    NodeSelectorRequirement host = new NodeSelectorRequirement(NodeStates.HOSTNAME_LABEL, "In", List.of(node));
    Affinity affinity = spec.getAffinity() == null ? new Affinity() : spec.getAffinity();
    NodeAffinity nodeAffinity = affinity.getNodeAffinity() == null ? new NodeAffinity() : affinity.getNodeAffinity();
    NodeSelector required = nodeAffinity.getRequiredDuringSchedulingIgnoredDuringExecution();
    List<NodeSelectorTerm> terms = new ArrayList<>();
    if (required == null || required.getNodeSelectorTerms() == null || required.getNodeSelectorTerms().isEmpty()) {
      terms.add(new NodeSelectorTerm(List.of(host), null));
    } else {
      for (NodeSelectorTerm term : required.getNodeSelectorTerms()) {
        List<NodeSelectorRequirement> expressions = term.getMatchExpressions() == null
            ? new ArrayList<>() : new ArrayList<>(term.getMatchExpressions());
        expressions.add(host);
        terms.add(new NodeSelectorTerm(expressions, term.getMatchFields()));
      }
    }
    nodeAffinity.setRequiredDuringSchedulingIgnoredDuringExecution(new NodeSelector(terms));
    affinity.setNodeAffinity(nodeAffinity);
    spec.setAffinity(affinity);
  }

  /**
   * A headless service named like the replica; TF_CONFIG and MASTER_ADDR resolve through it. As the
   * training operator's CreateNewService: selected by operator name, job name, replica type and
   * index, and one port for each port the main container declares (the framework's port added when
   * it declares none by that name).
   */
  public static Service service(TrainingJob job, TrainingJobModel model, ReplicaId id, int attempt) {
    Map<String, String> selector = ReplicaLabels.selector(model, id);
    Map<String, String> labels = new LinkedHashMap<>(selector);
    labels.put(ReplicaLabels.CAPSTAN_JOB, model.name());
    labels.put(MANAGED_BY, MANAGER);
    ObjectMeta meta = meta(job, id.name(model.name()), labels, Map.of(DESIRED_ATTEMPT, Integer.toString(attempt)));
    List<ServicePort> ports = ports(model.groupOf(id).container().getPorts(), model.framework()).stream()
        .map(p -> new ServicePortBuilder().withName(p.getName()).withPort(p.getContainerPort()).build())
        .toList();
    return new ServiceBuilder()
        .withMetadata(meta)
        .withNewSpec()
        .withClusterIP("None")
        .withPublishNotReadyAddresses(true)
        .withSelector(selector)
        .withPorts(ports)
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

  /**
   * The user's variables, then the contract's; a contract variable replaces one of the same name.
   * The contract's pod-IP variable is read from the pod's status, as Paddle's rendezvous needs.
   */
  private static List<EnvVar> env(List<EnvVar> user, Map<String, String> contract, boolean main) {
    List<EnvVar> out = new ArrayList<>();
    if (user != null) {
      user.stream().filter(e -> !contract.containsKey(e.getName())).forEach(out::add);
    }
    contract.forEach((k, v) -> {
      if (k.equals(EnvContract.POD_IP)) {
        out.add(new EnvVarBuilder().withName(k).withNewValueFrom().withNewFieldRef().withFieldPath("status.podIP")
            .endFieldRef().endValueFrom().build());
      } else if (main || !k.equals(EnvContract.MAIN_CONTAINER_ONLY)) {
        out.add(new EnvVar(k, v, null));
      }
    });
    return out;
  }

  private static List<ContainerPort> ports(List<ContainerPort> user, Framework framework) {
    List<ContainerPort> out = user == null ? new ArrayList<>() : new ArrayList<>(user);
    boolean present = out.stream().anyMatch(p -> framework.portName().equals(p.getName())
        || p.getContainerPort() != null && p.getContainerPort() == framework.defaultPort());
    if (!present) {
      out.add(new ContainerPortBuilder().withName(framework.portName()).withContainerPort(framework.defaultPort()).build());
    }
    return out;
  }
}
