package dev.capstan.kubernetes.render;

import dev.capstan.api.training.TrainingJob;
import dev.capstan.api.training.TrainingJobModel;
import dev.capstan.core.queue.AdmissionDecision;
import dev.capstan.core.training.Observed;
import dev.capstan.core.training.PlanInput;
import dev.capstan.core.training.ReplicaAction;
import dev.capstan.core.training.ReplicaLaunch;
import dev.capstan.core.training.TrainingPlan;
import dev.capstan.core.training.TrainingPlanner;
import dev.capstan.core.training.env.ClusterAddressing;
import dev.capstan.kubernetes.training.ReplicaObjects;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The objects cluster mode would create for a TrainingJob once admitted, computed by the same
 * planner and builders as the operator (first attempt, nothing observed yet). The job has no uid
 * before it is stored, so rendered objects carry no ownerReferences; the operator adds them.
 */
public final class ClusterRender {
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private ClusterRender() {}

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
