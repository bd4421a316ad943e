package dev.capstan.kubernetes.render;

import dev.capstan.api.serving.InferenceService;
import dev.capstan.api.serving.InferenceServiceModel;
import dev.capstan.api.training.TrainingJob;
import dev.capstan.api.training.TrainingJobModel;
import dev.capstan.core.queue.AdmissionDecision;
import dev.capstan.core.serving.ModelSources;
import dev.capstan.core.serving.ObservedRevisions;
import dev.capstan.core.serving.RevisionAction;
import dev.capstan.core.serving.ServiceKey;
import dev.capstan.core.serving.ServingInput;
import dev.capstan.core.serving.ServingPlan;
import dev.capstan.core.serving.ServingPlanner;
import dev.capstan.core.serving.SourceResolution;
import dev.capstan.core.training.Observed;
import dev.capstan.core.training.PlanInput;
import dev.capstan.core.training.ReplicaAction;
import dev.capstan.core.training.ReplicaLaunch;
import dev.capstan.core.training.TrainingPlan;
import dev.capstan.core.training.TrainingPlanner;
import dev.capstan.core.training.env.ClusterAddressing;
import dev.capstan.kubernetes.security.PodSecurityLevel;
import dev.capstan.kubernetes.serving.RevisionObjects;
import dev.capstan.kubernetes.training.ReplicaObjects;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The objects cluster mode would create for a TrainingJob once admitted, or for an
 * InferenceService's first revision, computed by the same planners and builders as the operator
 * (first attempt, nothing observed yet). A manifest has no uid before it is stored, so rendered
 * objects carry no ownerReferences; the operator adds them.
 */
public final class ClusterRender {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private ClusterRender() {}

  /** What the operator would create for {@code resource}, a TrainingJob or an InferenceService. */
  public static List<HasMetadata> objects(HasMetadata resource) {
    return switch (resource) {
      case TrainingJob job -> objects(job);
      case InferenceService isvc -> objects(isvc);
      default -> throw new IllegalArgumentException("render: cluster mode creates nothing for kind " + resource.getKind());
    };
  }

  /**
   * The Deployment and the Service of the service's first revision, at the replicas it starts
   * with, in Capstan's replica image and with "restricted" pod security; throws
   * InvalidSpecException for an invalid service.
   */
  public static List<HasMetadata> objects(InferenceService isvc) {
    InferenceServiceModel model = InferenceServiceModel.from(isvc);
    ServiceKey key = new ServiceKey(model.namespace(), model.name());
    SourceResolution source;
    try {
      source = SourceResolution.of(ModelSources.asWritten().resolve(key, model.predictor().storageUri()));
    } catch (ModelSources.UnresolvedSourceException e) {
      throw new IllegalArgumentException("render: spec.predictor.model.storageUri: " + e.getMessage());
    }
    ServingPlan plan = ServingPlanner.plan(new ServingInput(model, null, ObservedRevisions.none(), source, Map.of(),
        "", Instant.EPOCH));
    List<HasMetadata> objects = new ArrayList<>();
    for (RevisionAction action : plan.actions()) {
      if (action instanceof RevisionAction.Scale scale) {
        objects.add(RevisionObjects.deployment(isvc, scale.template(), scale.replicas(), ReplicaObjects.DEFAULT_IMAGE,
            PodSecurityLevel.RESTRICTED));
        objects.add(RevisionObjects.service(isvc, scale.template()));
      }
    }
    return objects;
  }

  /** Services first, then pods, in rank order; throws InvalidSpecException for an invalid job. */
  public static List<HasMetadata> objects(TrainingJob job) {
    TrainingJobModel model = TrainingJobModel.from(job);
    TrainingPlan plan = TrainingPlanner.plan(new PlanInput(model, null, Observed.none(), AdmissionDecision.admitted(),
        new ClusterAddressing(model), Instant.EPOCH, false));
    List<HasMetadata> services = new ArrayList<>();
    List<HasMetadata> pods = new ArrayList<>();
    for (ReplicaAction action : plan.actions()) {
      if (action instanceof ReplicaAction.Start start) {
        ReplicaLaunch launch = start.launch();
        services.add(ReplicaObjects.service(job, model, launch.id(), launch.attempt()));
        pods.add(ReplicaObjects.pod(job, model, launch));
      }
    }
    List<HasMetadata> all = new ArrayList<>(services);
    all.addAll(pods);
    return all;
  }

  /** YAML documents separated by {@code ---}, like {@code helm template}. */
  public static String yaml(List<HasMetadata> objects) {
    StringBuilder out = new StringBuilder();
    for (HasMetadata o : objects) {
      String doc = SERIALIZATION.asYaml(o);
      out.append(doc.startsWith("---") ? doc : "---\n" + doc);
      if (!doc.endsWith("\n")) {
        out.append('\n');
      }
    }
    return out.toString();
  }
}
